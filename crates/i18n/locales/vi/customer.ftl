# Những gì Fenestra tự gửi cho khách, bằng tiếng Việt.

customer-opted-out = Bạn sẽ không nhận tin nhắn tự động từ chúng tôi nữa. Nhắn BẮT ĐẦU để nhận lại.
customer-opted-in = Chào mừng bạn quay lại! Bạn sẽ nhận được tin nhắn của chúng tôi như trước.
customer-greeting = Chào { $first_name }, cảm ơn bạn đã nhắn tin! Chúng tôi sẽ trả lời sớm nhất có thể.
customer-greeting-anonymous = Xin chào, cảm ơn bạn đã nhắn tin! Chúng tôi sẽ trả lời sớm nhất có thể.
customer-handover = Cảm ơn bạn! Nhân viên của chúng tôi sẽ trả lời bạn tại đây sớm.
customer-automated = Đây là tin nhắn trả lời tự động từ trợ lý của shop; nhân viên của chúng tôi cũng có thể trả lời bạn.
customer-flow-retry = Xin lỗi, mình chưa hiểu câu trả lời. Mình hỏi lại nhé:
customer-handover-closed = Cảm ơn bạn! Shop đang nghỉ: nhân viên sẽ trả lời bạn tại đây từ { $opens }.

# The printable card at the till, under the shop's name.
customer-card-call-to-action = Quét mã để nhắn tin với shop qua Messenger
