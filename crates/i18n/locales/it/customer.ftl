# Ciò che Fenestra stessa invia ai clienti, in italiano.

customer-opted-out = Non riceverai più messaggi automatici da noi. Scrivi RIPRENDI per annullare.
customer-opted-in = Bentornato! Riceverai di nuovo i nostri messaggi.
customer-greeting = Ciao { $first_name }, grazie per il tuo messaggio! Ti risponderemo al più presto.
customer-greeting-anonymous = Ciao, grazie per il tuo messaggio! Ti risponderemo al più presto.
customer-handover = Grazie! Una persona del nostro team ti risponderà qui a breve.
customer-automated = Questa è una risposta automatica dell'assistente del negozio; anche una persona del nostro team può risponderti.
customer-flow-retry = Scusa, non ho capito la risposta. Ecco di nuovo la domanda:
customer-handover-closed = Grazie! Ora siamo chiusi: uno di noi ti risponderà qui dalle { $opens }.

# The printable card at the till, under the shop's name.
customer-card-call-to-action = Inquadra il codice per scriverci su Messenger
