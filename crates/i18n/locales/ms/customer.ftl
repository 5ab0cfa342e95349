# Apa yang Fenestra sendiri hantar kepada pelanggan, dalam Bahasa Melayu.

customer-opted-out = Anda tidak akan menerima mesej automatik daripada kami lagi. Tulis MULA untuk membatalkan.
customer-opted-in = Selamat kembali! Anda akan menerima mesej kami semula.
customer-greeting = Hai { $first_name }, terima kasih atas mesej anda! Kami akan membalas secepat mungkin.
customer-greeting-anonymous = Hai, terima kasih atas mesej anda! Kami akan membalas secepat mungkin.
customer-handover = Terima kasih! Seseorang daripada pasukan kami akan membalas anda di sini tidak lama lagi.
customer-automated = Ini balasan automatik daripada pembantu kedai kami; seseorang daripada pasukan kami juga boleh membalas.
customer-flow-retry = Maaf, saya tidak faham jawapan itu. Ini soalannya sekali lagi:
customer-handover-closed = Terima kasih! Kami tutup sekarang: salah seorang daripada kami akan menjawab anda di sini mulai { $opens }.

# The printable card at the till, under the shop's name.
customer-card-call-to-action = Imbas untuk berbual dengan kami di Messenger
