//! What Fenestra itself says to customers, in their language: the customer's Messenger locale
//! (`vi_VN`, `ar_AR`, `ms_MY`, `it_IT`, `en_US`) picks Vietnamese, Arabic, Malay, Italian or
//! English (the default).

/// The languages Fenestra speaks to customers and agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
    Ar,
    Ms,
    It,
}

impl Lang {
    /// From a Messenger locale (`vi_VN`) or a language tag (`vi`, `ar-SA`); English otherwise.
    pub fn of_locale(locale: Option<&str>) -> Lang {
        let code = locale
            .unwrap_or("")
            .split(['_', '-'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match code.as_str() {
            "vi" => Lang::Vi,
            "ar" => Lang::Ar,
            "ms" | "id" => Lang::Ms,
            "it" => Lang::It,
            _ => Lang::En,
        }
    }
}

/// Sent once when a customer writes STOP, before the opt-out is recorded.
pub fn opted_out(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => {
            "Bạn sẽ không nhận tin nhắn tự động từ chúng tôi nữa. Nhắn BẮT ĐẦU để nhận lại."
        }
        Lang::En => "You won't get automatic messages from us any more. Write START to undo.",
        Lang::Ar => "لن تصلك رسائل تلقائية منا بعد الآن. اكتب ابدأ للتراجع.",
        Lang::Ms => {
            "Anda tidak akan menerima mesej automatik daripada kami lagi. Tulis MULA untuk membatalkan."
        }
        Lang::It => "Non riceverai più messaggi automatici da noi. Scrivi RIPRENDI per annullare.",
    }
}

/// Sent when a customer who had opted out writes START.
pub fn opted_in(lang: Lang) -> &'static str {
    match lang {
        Lang::Vi => "Chào mừng bạn quay lại! Bạn sẽ nhận được tin nhắn của chúng tôi như trước.",
        Lang::En => "Welcome back! You'll get our messages again.",
        Lang::Ar => "مرحباً بعودتك! ستصلك رسائلنا من جديد.",
        Lang::Ms => "Selamat kembali! Anda akan menerima mesej kami semula.",
        Lang::It => "Bentornato! Riceverai di nuovo i nostri messaggi.",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locales_pick_the_language() {
        assert_eq!(Lang::of_locale(Some("vi_VN")), Lang::Vi);
        assert_eq!(Lang::of_locale(Some("ar_AR")), Lang::Ar);
        assert_eq!(Lang::of_locale(Some("ms-MY")), Lang::Ms);
        assert_eq!(Lang::of_locale(Some("it")), Lang::It);
        assert_eq!(Lang::of_locale(Some("fr_FR")), Lang::En);
        assert_eq!(Lang::of_locale(None), Lang::En);
    }
}
