# What Fenestra itself sends to customers, in their language.

customer-opted-out = You won't get automatic messages from us any more. Write START to undo.
customer-opted-in = Welcome back! You'll get our messages again.
customer-greeting = Hi { $first_name }, thanks for your message! We'll answer as soon as we can.
customer-greeting-anonymous = Hi, thanks for your message! We'll answer as soon as we can.
customer-handover = Thanks! Someone from our team will answer you here soon.
customer-automated = This is an automatic reply from our shop's assistant; a person from our team can answer too.
customer-flow-retry = Sorry, I did not understand that answer. Here is the question again:
customer-handover-closed = Thanks! We're closed now: one of us will answer you here from { $opens }.

# The printable card at the till, under the shop's name.
customer-card-call-to-action = Scan to chat with us on Messenger
