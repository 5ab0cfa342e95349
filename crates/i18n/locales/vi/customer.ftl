# Những gì Fenestra tự gửi cho khách, bằng tiếng Việt.

customer-opted-out = Bạn sẽ không nhận tin nhắn tự động từ chúng tôi nữa. Nhắn BẮT ĐẦU để nhận lại.
customer-opted-in = Chào mừng bạn quay lại! Bạn sẽ nhận được tin nhắn của chúng tôi như trước.
customer-greeting = Chào { $first_name }, cảm ơn bạn đã nhắn tin! Chúng tôi sẽ trả lời sớm nhất có thể.
customer-greeting-anonymous = Xin chào, cảm ơn bạn đã nhắn tin! Chúng tôi sẽ trả lời sớm nhất có thể.
