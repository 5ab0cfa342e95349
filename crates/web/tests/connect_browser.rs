//! Connecting a page in a real headless Chromium, in Vietnamese: Settings → Connect a Page,
//! Meta's dialog (the emulator's), the page to choose, then the connection page waiting for a
//! first webhook and seeing it arrive by itself when a customer writes. With
//! `FENESTRA_SCREENSHOTS=1` the screens are saved to docs/screenshots/.

mod common;

use common::*;
use serde_json::json;
use store::{Role, testing};
use test_browser::{click, see};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_vietnamese_admin_connects_the_page_from_settings() {
    let db = testing::sqlite().await;
    let w = world(&db, None, connectable).await;
    engine::accounts::add_user(w.store(), "lan", "a long passphrase", Role::Admin)
        .await
        .unwrap();
    w.ctl
        .post("/page", json!({"connected": false}))
        .await
        .unwrap();
    let (_driver, b) = test_browser::start_in(1280, 900, "vi").await;
    browser_log_in(&b, &w.server.url(), "lan").await;
    see(&b, "Hộp thư").await;
    b.goto(&format!("{}/settings", w.server.url()))
        .await
        .unwrap();
    click(&b, "#connect-page").await;
    see(&b, "Trong App Dashboard của Meta").await;
    see(&b, &format!("{}/webhook", w.server.url())).await;
    screenshot(&b, "connect-vi.png").await;

    click(&b, "#facebook-login").await;
    see(&b, "Fenestra is requesting access").await;
    see(&b, "pages_manage_metadata").await;
    screenshot(&b, "connect-dialog.png").await;
    click(&b, "#continue").await;

    see(&b, "3. Chọn các Trang mà Fenestra trả lời.").await;
    see(&b, "Emulated Page").await;
    click(&b, "#connect-chosen").await;

    see(&b, "Kết nối · Emulated Page").await;
    see(&b, "Mã truy cập hoạt động và không tự hết hạn.").await;
    see(&b, "Đã đăng ký mọi sự kiện Fenestra cần").await;
    see(&b, "Chưa có webhook nào từ Trang này.").await;
    let linh = w.customer("Linh").await;
    w.says(&linh, "Shop ơi, còn hàng không?").await;
    // The line refreshes by itself.
    see(&b, "Webhook từ Trang này đang đến").await;
    screenshot(&b, "connection-vi.png").await;
    w.stop().await;
}
