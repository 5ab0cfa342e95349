//! Decisions per second of `policy::decide` on one core, on a realistic mix of scenarios with
//! ~300-character texts in five languages (inside and outside the window, tags, tokens,
//! utility templates, promotional and not). Printed beside a baseline run in the same process:
//! parsing the same scenarios from JSON, which every `fenestra policy check` pays anyway.
//!
//! `cargo run --release -p bench-policy [SECONDS]`

use std::hint::black_box;
use std::time::{Duration, Instant};

use policy::Scenario;
use serde_json::json;

const TEXTS: &[&str] = &[
    "Hi Lan, thank you for your order #4521 from Minh's Bakery. Your birthday cake has been packed and handed to the courier this morning; it should reach your address in District 3 before 4 pm. If nobody is home, the driver will call you on the number you gave us. Reply here if anything changes.",
    "Chào chị Lan, đơn hàng #4521 của chị đã được đóng gói và giao cho đơn vị vận chuyển sáng nay. Dự kiến hàng sẽ đến trước 16 giờ chiều nay. Nếu chị không có nhà, tài xế sẽ gọi vào số điện thoại chị đã để lại. Chị cần đổi giờ giao thì nhắn shop nhé, cảm ơn chị nhiều ạ!",
    "KHUYẾN MÃI LỚN cuối tuần: giảm giá 30% toàn bộ váy đầm, mua 1 tặng 1 cho phụ kiện và freeship toàn quốc cho đơn từ 299k. Chương trình chỉ áp dụng đến hết Chủ nhật, số lượng có hạn, chị nhanh tay đặt hàng kẻo lỡ nhé! Xem thêm mẫu mới tại https://lanshop-sale.example.net ngay hôm nay.",
    "مرحباً أحمد، تم شحن طلبك رقم 4521 اليوم وسيصل إلى عنوانك في دبي خلال يومين. يمكنك تتبع الشحنة من خلال الرابط المرسل إلى بريدك الإلكتروني. إذا كان لديك أي سؤال حول الطلب أو موعد التسليم، يرجى الرد على هذه الرسالة وسنساعدك فوراً.",
    "Tawaran istimewa hujung minggu! Diskaun 20% untuk semua kasut dan beg tangan, penghantaran percuma untuk pesanan melebihi RM100 dan hadiah percuma untuk 50 pelanggan pertama. Gunakan kod promo RAYA10 semasa pembayaran. Beli sekarang sebelum stok habis, tawaran terhad sehingga Ahad sahaja!",
    "Gentile cliente, le ricordiamo il suo appuntamento dal parrucchiere domani alle 10:30 presso il nostro salone in via Roma 12. Se non potesse venire, la preghiamo di avvisarci rispondendo a questo messaggio entro stasera, così possiamo offrire l'orario a un altro cliente. Grazie e a domani!",
];

fn scenarios() -> Vec<String> {
    let mut out = Vec::new();
    for (i, text) in TEXTS.iter().enumerate() {
        for variant in 0..6 {
            let (now, tag, token, template, last) = match variant {
                0 => (
                    "2026-03-10T12:00:00Z",
                    json!(null),
                    json!(null),
                    json!(null),
                    "2026-03-10T08:00:00Z",
                ),
                1 => (
                    "2026-03-10T12:00:00Z",
                    json!(null),
                    json!(null),
                    json!(null),
                    "2026-03-08T08:00:00Z",
                ),
                2 => (
                    "2026-03-10T12:00:00Z",
                    json!("HUMAN_AGENT"),
                    json!(null),
                    json!(null),
                    "2026-03-07T08:00:00Z",
                ),
                3 => (
                    "2026-03-10T12:00:00Z",
                    json!("POST_PURCHASE_UPDATE"),
                    json!(null),
                    json!(null),
                    "2026-02-01T08:00:00Z",
                ),
                4 => (
                    "2026-06-10T12:00:00Z",
                    json!(null),
                    json!(null),
                    json!({"name": "order_shipped", "status": "APPROVED"}),
                    "2026-05-01T08:00:00Z",
                ),
                _ => (
                    "2026-03-10T12:00:00Z",
                    json!(null),
                    json!("otn-1"),
                    json!(null),
                    "2026-01-01T08:00:00Z",
                ),
            };
            out.push(
                json!({
                    "now": now,
                    "page": {"id": "1001", "human_agent_approved": true, "allowed_domains": ["shop.example.com"], "utility_messaging": true},
                    "contact": {
                        "psid": format!("20{i}{variant}"),
                        "interactions": [{"kind": "message", "at": "2026-01-01T00:00:00Z"}, {"kind": "reaction", "at": last},
                                         {"kind": "echo", "at": now}, {"kind": "read", "at": now}],
                        "one_time_tokens": [{"token": "otn-1", "topic": "Back in stock", "issued_at": "2025-09-01T00:00:00Z", "used": false}],
                        "automated_sent_24h": variant % 4
                    },
                    "message": {"sender": if variant == 2 { "human_agent" } else { "bot" }, "text": text, "tag": tag,
                                "one_time_token": token, "utility_template": template}
                })
                .to_string(),
            );
        }
    }
    out
}

/// Runs `f` over the inputs round-robin for `budget`; returns operations per second.
fn rate<T>(inputs: &[T], budget: Duration, mut f: impl FnMut(&T)) -> f64 {
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for input in inputs {
            f(input);
        }
        n += inputs.len() as u64;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    let seconds: f64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3.0);
    let only_decide = std::env::args().any(|a| a == "--only-decide"); // for profiling
    // A fixed amount of work, for comparing instruction counts (`perf stat -e instructions`).
    if let Some(rounds) = std::env::args()
        .skip_while(|a| a != "--rounds")
        .nth(1)
        .and_then(|n| n.parse::<usize>().ok())
    {
        let parsed: Vec<Scenario> = scenarios()
            .iter()
            .map(|j| Scenario::from_json(j.as_bytes()).unwrap())
            .collect();
        for _ in 0..rounds {
            for s in &parsed {
                black_box(policy::decide(s));
            }
        }
        return;
    }
    let budget = Duration::from_secs_f64(seconds);
    let json = scenarios();
    let parsed: Vec<Scenario> = json
        .iter()
        .map(|j| Scenario::from_json(j.as_bytes()).unwrap())
        .collect();
    let mean_len = parsed
        .iter()
        .map(|s| s.message.text.chars().count())
        .sum::<usize>()
        / parsed.len();
    let allowed = parsed
        .iter()
        .filter(|s| policy::decide(s).verdict == policy::Verdict::Allow)
        .count();

    // Warm up the detector's automaton and the caches.
    rate(&parsed, Duration::from_millis(300), |s| {
        black_box(policy::decide(s));
    });
    let baseline = rate(
        &json,
        if only_decide { Duration::ZERO } else { budget },
        |j| {
            black_box(Scenario::from_json(j.as_bytes()).unwrap());
        },
    );
    let decisions = rate(&parsed, budget, |s| {
        black_box(policy::decide(s));
    });
    let detector = rate(&parsed, budget, |s| {
        black_box(policy::promo::detect(
            &s.message.text,
            &s.page.allowed_domains,
        ));
    });
    println!(
        "scenarios: {} (mean text {mean_len} chars, {allowed} allowed), one thread, {seconds} s each",
        parsed.len()
    );
    println!("baseline  parse scenario JSON : {baseline:>12.0} /s");
    println!(
        "policy::decide                : {decisions:>12.0} /s  ({:.2}x the baseline)",
        decisions / baseline
    );
    println!("  of which promo::detect alone: {detector:>12.0} /s");
    println!(
        "1,000,000-recipient broadcast : {:.2} s of checks on one core (target: >= 500,000 decisions/s)",
        1e6 / decisions
    );
}
