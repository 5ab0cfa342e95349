# ما يرسله Fenestra بنفسه إلى العملاء، بالعربية.

customer-opted-out = لن تصلك رسائل تلقائية منا بعد الآن. اكتب ابدأ للتراجع.
customer-opted-in = مرحباً بعودتك! ستصلك رسائلنا من جديد.
customer-greeting = مرحبًا { $first_name }، شكرًا لرسالتك! سنرد عليك في أقرب وقت.
customer-greeting-anonymous = مرحبًا، شكرًا لرسالتك! سنرد عليك في أقرب وقت.
