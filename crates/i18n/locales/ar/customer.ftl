# ما يرسله Fenestra بنفسه إلى العملاء، بالعربية.

customer-opted-out = لن تصلك رسائل تلقائية منا بعد الآن. اكتب ابدأ للتراجع.
customer-opted-in = مرحباً بعودتك! ستصلك رسائلنا من جديد.
customer-greeting = مرحبًا { $first_name }، شكرًا لرسالتك! سنرد عليك في أقرب وقت.
customer-greeting-anonymous = مرحبًا، شكرًا لرسالتك! سنرد عليك في أقرب وقت.
customer-handover = شكرًا! سيرد عليك أحد أعضاء فريقنا هنا قريبًا.
customer-automated = هذا رد تلقائي من مساعد متجرنا؛ ويمكن لأحد أعضاء فريقنا الرد عليك أيضًا.
customer-flow-retry = عذرًا، لم أفهم هذه الإجابة. إليك السؤال مرة أخرى:
customer-handover-closed = شكرًا لك! نحن مغلقون الآن: سيرد عليك أحدنا هنا ابتداءً من { $opens }.

# The printable card at the till, under the shop's name.
customer-card-call-to-action = امسح الرمز لمراسلتنا على ماسنجر
