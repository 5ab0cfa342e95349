//! Promotional detection per language, on texts written for these tests: each language has
//! promotional texts that must be caught and everyday texts about an order, a delivery, a
//! payment, an appointment or an account that must not be.

use policy::promo::detect;

fn allowed() -> Vec<String> {
    vec!["shop.example.com".to_owned()]
}

fn check(lang: &str, promotional: &[&str], ordinary: &[&str]) {
    for text in promotional {
        assert!(
            !detect(text, &allowed()).is_empty(),
            "{lang}: should be promotional: {text}"
        );
    }
    for text in ordinary {
        let found = detect(text, &allowed());
        assert!(
            found.is_empty(),
            "{lang}: should not be promotional: {text} (matched {found:?})"
        );
    }
}

#[test]
fn english() {
    check(
        "en",
        &[
            "Our summer sale starts tomorrow!",
            "Enjoy 15% off all sneakers this weekend.",
            "Here's a coupon for your next visit.",
            "Limited time: buy one get one on all lattes.",
            "Happy birthday from all of us at Minh's Bakery!",
            "Merry Christmas and thank you for being a customer.",
            "New arrivals are in, shop now.",
            "See the collection at https://instagram.example.net/lanshop",
        ],
        &[
            "Your order #4521 has shipped and arrives Thursday.",
            "We received your payment of 250,000 VND, thank you.",
            "Reminder: your appointment is tomorrow at 10:30.",
            "Your password was changed. If this wasn't you, reply here.",
            "The courier will deliver between 2pm and 5pm. Track it at https://shop.example.com/t/4521",
            "Your verification code is 482913.",
            "Your battery replacement is 80% complete.",
        ],
    );
}

#[test]
fn vietnamese_with_and_without_tone_marks() {
    check(
        "vi",
        &[
            "Chương trình khuyến mãi tháng 12 đã bắt đầu!",
            "chuong trinh khuyen mai thang 12 da bat dau",
            "Nhập mã giảm giá TET2027 khi thanh toán",
            "nhap ma giam gia TET2027 khi thanh toan",
            "Ưu đãi đặc biệt cho khách quen",
            "Freeship toàn quốc cuối tuần này",
            "Chúc mừng sinh nhật chị Lan!",
            "Mua ngay kẻo hết hàng",
        ],
        &[
            "Đơn hàng #4521 của chị đã được giao cho đơn vị vận chuyển.",
            "Don hang #4521 cua chi da duoc giao",
            "Shop đã nhận được thanh toán của anh, cảm ơn anh.",
            "Lịch hẹn cắt tóc của anh là 15h ngày mai.",
            "Mật khẩu tài khoản của bạn vừa được thay đổi.",
            "Giá của mẫu này là 350.000đ ạ.",
        ],
    );
}

#[test]
fn arabic_with_and_without_tashkeel() {
    check(
        "ar",
        &[
            "خصم ٣٠٪ على جميع المنتجات",
            "خَصْمٌ كبير على جميع المنتجات",
            "تخفيضات نهاية الموسم بدأت اليوم",
            "اشترِ الآن واحصل على هدية مجانية",
            "اشتر الان واحصل على هدية مجانية",
            "عيد ميلاد سعيد من فريقنا",
            "رمضان كريم لجميع عملائنا",
        ],
        &[
            "تم شحن طلبك رقم 4521 وسيصل يوم الخميس.",
            "استلمنا دفعتك، شكراً لك.",
            "تذكير: موعدك في العيادة غداً الساعة العاشرة.",
            "تم تغيير كلمة المرور لحسابك.",
        ],
    );
}

#[test]
fn malay() {
    check(
        "ms",
        &[
            "Diskaun 20% untuk semua kasut minggu ini!",
            "Jualan murah hujung tahun bermula esok",
            "Gunakan kod promo RAYA10 semasa pembayaran",
            "Penghantaran percuma untuk pesanan pertama",
            "Selamat hari raya daripada kami semua",
            "Beli sekarang sebelum stok habis",
        ],
        &[
            "Pesanan anda #4521 telah dihantar dan akan tiba hari Khamis.",
            "Kami telah menerima bayaran anda, terima kasih.",
            "Peringatan: temujanji anda esok pukul 10 pagi.",
            "Kata laluan akaun anda telah ditukar.",
        ],
    );
}

#[test]
fn italian() {
    check(
        "it",
        &[
            "Saldi invernali: fino al 50% su tutta la collezione",
            "Solo per oggi spedizione gratuita su tutti gli ordini",
            "Usa il codice sconto NATALE per il 10% di sconto",
            "Buon compleanno da tutto lo staff!",
            "Un omaggio per te al prossimo acquisto",
            "Promozione valida fino a domenica",
        ],
        &[
            "Il tuo ordine #4521 è stato spedito e arriverà giovedì.",
            "Abbiamo ricevuto il tuo pagamento, grazie.",
            "Promemoria: il tuo appuntamento è domani alle 10:30.",
            "La password del tuo account è stata modificata.",
            "Il corriere consegnerà il pacco in città entro venerdì.",
        ],
    );
}

#[test]
fn matches_are_reported_in_the_writers_spelling() {
    let found = detect(
        "KHUYẾN MÃI lớn: Giảm Giá 30%, xem tại https://spam.example.org",
        &allowed(),
    );
    let texts: Vec<&str> = found.iter().map(|m| m.text.as_str()).collect();
    assert_eq!(
        texts,
        ["KHUYẾN MÃI", "Giảm Giá", "https://spam.example.org"]
    );
    assert_eq!(found[0].lang, Some("vi"));
}
