# La casella di Fenestra in italiano. Gli stessi messaggi di locales/en/ui.ftl.

## Navigazione e titoli
nav-inbox = Casella
nav-settings = Impostazioni
nav-account = Il mio account
nav-logout = Esci
title-inbox = Casella
list-title = Conversazioni
inbox-pick = Scegli una conversazione a lato per leggerla e rispondere.
notify-enable = Attiva le notifiche
notify-on = Notifiche attive
notify-title = Nuovo messaggio
notify-body = { $name } ha scritto alla Pagina.
flash-dismiss = Chiudi
yes = sì
no = no

## Accesso
login-title = Accedi
login-username = Nome utente
login-password = Password
login-submit = Accedi
login-wrong = Nome utente o password errati.
login-too-many = Troppi tentativi da questo indirizzo: riprova tra { $seconds } s.
login-name-too-long = Quel nome utente è troppo lungo.

## Elenco delle conversazioni
filter-search = Cerca nomi e messaggi
filter-assignee = Assegnatario
filter-anyone = Chiunque
filter-mine = Mie
filter-unassigned = Non assegnate
filter-status = Stato
filter-any-status = Aperte e chiuse
filter-open = Aperte
filter-closed = Chiuse
filter-window = Finestra
filter-any-window = Qualsiasi finestra
filter-window-open = Finestra aperta
filter-window-closed = Finestra chiusa
filter-label = Etichetta
filter-any-label = Qualsiasi etichetta
filter-apply = Filtra
list-empty = Nessuna conversazione corrisponde. Quando un cliente scrive alla Pagina, compare qui.
conversations-unread = { $n ->
    [one] 1 da leggere
   *[other] { $n } da leggere
}
status-closed = chiusa
speaker-agent = Tu:
speaker-automation = Auto:
speaker-broadcast = Invio di massa:
speaker-api = API:
speaker-other-app = Altra app:
preview-attachment = [allegato]

## Cosa si può inviare ora (il badge di ogni conversazione)
badge-open = Rispondi liberamente · ancora { $left }
badge-open-tip = Il cliente ha scritto nelle ultime 24 ore: si può inviare qualsiasi messaggio fino alle { $until }.
badge-human = Solo risposta di un operatore · ancora { $left }
badge-human-tip = La finestra di 24 ore è chiusa. Fino a { $until } (7 giorni dopo l'ultimo messaggio del cliente) una persona può ancora rispondere con il tag operatore umano; le automazioni no.
badge-closed = Solo modelli
badge-closed-tip = Sono passati più di 7 giorni dall'ultimo messaggio del cliente: lo raggiungono solo un modello di servizio approvato o un token di notifica che ha dato, finché non scrive di nuovo.
badge-none = Non ha scritto
badge-none-tip = Questo cliente non ha scritto alla Pagina: lo raggiunge solo un token che ha dato.

## Conversazione
thread-title = Conversazione
thread-back = ‹ Conversazioni
thread-customer = Cliente
thread-empty = Ancora niente qui.
customer-unnamed = Cliente { $psid }
profile-locale = Lingua
profile-timezone = Fuso orario
profile-first-contact = Primo contatto
profile-tokens = Token disponibili
profile-none = nessuno
profile-unknown = sconosciuto
source-wrote = ha scritto alla Pagina
source-kind = { $kind }
source-kind-ref = { $kind }, rif. { $ref }
token-one-time = Una volta: { $topic }
token-recurring = { $frequency } fino al { $until }: { $topic }
token-no-topic = nessun argomento
token-no-end = senza scadenza
token-recurring-any = ricorrente
quick-reply = Risposta rapida: { $payload }
with-quick-replies = con risposte rapide
by-agent = { $name }
by-persona = { $name } come { $persona }
by-automation-instant_reply = Risposta immediata
by-automation-opt_out = Conferma di disiscrizione
by-automation-away = Messaggio di assenza
by-automation-keyword = Risposta per parola chiave
by-automation-handover = Passaggio a una persona
by-automation-disclosure = Avviso di automazione
by-automation-goodbye = Saluto
by-automation-rating = Domanda di valutazione
by-automation = Automazione
by-broadcast = Invio di massa
by-api = Integrazione { $name }
by-other-app = { $app }
by-page-inbox = Casella di Meta Business Suite
how-response = risposta
how-update = aggiornamento
how-human-agent = tag operatore umano
how-tag = tag { $tag }
how-utility = modello di servizio
how-one-time = token singolo
how-recurring = token di notifica
how-private-reply = risposta privata
state-queued = in coda
state-sending = in invio
state-unknown = in attesa della conferma di Meta
state-sent = inviato
state-delivered = consegnato
state-read = letto
state-failed = non inviato: { $error }
state-failed-plain = non inviato
attachment-image = Immagine
attachment-video = Video
attachment-audio = Audio
attachment-file = File
attachment-location = Posizione
attachment-sticker = Sticker
attachment-fallback = Link
attachment-template = Scheda
attachment-location-at = Posizione { $lat }, { $long }
template-sent = [modello di servizio]
app-page-inbox = Casella di Meta Business Suite
app-lead-ads = L'app inserzioni per acquisizione contatti di Meta
app-unknown = Un'altra app
app-other = App { $id }

## Il pannello del team
team-title = Team
team-assigned-to = Assegnata a
team-nobody = nessuno
team-assign = Assegna
team-unassigned = Nessuno segue questa conversazione.
team-take = Prendila
team-yours = Segui tu questa conversazione.
team-let-go = Lasciala
team-theirs = { $name } segue questa conversazione.
team-close = Chiudi
team-reopen = Riapri
team-mark-seen = Segna come vista
team-mark-seen-count = { $n ->
    [one] Segna come vista (1 da leggere)
   *[other] Segna come vista ({ $n } da leggere)
}
team-mark-seen-tip = Mostra al cliente che i suoi messaggi sono stati visti
labels-title = Etichette
labels-add = Aggiungi
labels-add-placeholder = Aggiungi un'etichetta
labels-remove = Rimuovi l'etichetta { $label }
notes-title = Note
notes-private = (le vede solo il team)
notes-none = Ancora nessuna.
notes-placeholder = Nota per il team
notes-add = Aggiungi nota
decisions-title = Decisioni
decisions-none = Ancora nessuna.
decisions-detail = Regola
decision-allow = Consentito
decision-deny = Rifiutato

## Instradamento, pause, disiscrizioni
routing-owner = { $app } sta gestendo questa conversazione. Le risposte e le automazioni di Fenestra aspettano fino a { $until } (dopo 24 ore di inattività).
routing-owner-open = { $app } sta gestendo questa conversazione. Le risposte e le automazioni di Fenestra aspettano.
routing-take-over = Prendi il controllo
routing-hand-back = Restituisci alla casella di Meta
routing-hand-back-tip = Passa la conversazione alla casella di Meta Business Suite
routing-not-default-app = Fenestra non è l'app predefinita di questa Pagina: può scrivere solo nelle conversazioni che controlla.
routing-paused-until = Automazioni in pausa fino a { $until } ({ $why }).
routing-paused-until-close = Automazioni in pausa fino alla chiusura della conversazione ({ $why }).
pause-replied-elsewhere = lo staff ha risposto da un'altra app o dalla casella di Meta
pause-agent = un operatore le ha messe in pausa
pause-asked-for-person = il cliente ha chiesto di parlare con una persona
routing-resume = Riprendi le automazioni
routing-pause = Metti in pausa le automazioni
routing-opted-out = Disiscritto { $when }: niente messaggi automatici né invii di massa; una persona può rispondere quando scrive di nuovo.
routing-clear-opt-out = Annulla la disiscrizione
routing-set-opt-out = Segna come disiscritto

## Dati del cliente (amministratori)
privacy-title = Dati del cliente
privacy-export = Esporta i dati di questo cliente
privacy-erase-word = cancella
privacy-erase-confirm = Scrivi «cancella» per cancellare questo cliente
privacy-erase = Cancella
privacy-erased = Dati personali cancellati { $when }.
export-title = Dati del cliente
export-heading = Tutto ciò che Fenestra conserva sul cliente { $psid }
export-when = Esportato { $when }
export-json = Scarica in JSON
export-back = Torna alla conversazione
export-profile = Profilo
export-name = Nome
export-opted-out = Disiscritto
export-erased = Cancellato
export-messages = { $n ->
    [one] 1 messaggio
   *[other] { $n } messaggi
}
export-everything = Tutto, in JSON
export-from-customer = Cliente
export-from-page = Pagina

## Composizione
composer-what = Cosa inviare
composer-mode-text = Messaggio
composer-mode-template = Modello di servizio
composer-mode-token = Token di notifica
composer-saved-reply = Risposta salvata
composer-choose = scegli…
composer-placeholder = Scrivi una risposta…
composer-tag = Tag
composer-tag-none = nessuno
composer-tag-human-agent = Operatore umano (7 giorni)
composer-rich = Immagine, pulsanti, risposte rapide
composer-attachment = Immagine o file all'indirizzo
composer-upload = oppure un file da questo dispositivo
composer-buttons = Pulsanti (fino a 3)
composer-buttons-hint = Uno per riga: Prenota una prova = BOOK, oppure Il negozio = https://…
composer-quick-replies = Risposte rapide (fino a 13)
composer-quick-replies-hint = Una per riga: Taglia M = SIZE_M
composer-template = Modello
composer-token = Token
composer-token-placeholder = L'unico messaggio che questo token consente…
composer-send-as = Invia come
composer-as-page = la Pagina
composer-send = Invia
composer-send-refused = Questo messaggio non può essere inviato ora: vedi sotto il motivo.

## Il verdetto della policy mentre si scrive
verdict-allowed = Si può inviare
verdict-refused = Non si può inviare:
verdict-how = come { $how }
verdict-sent = Inviato.
verdict-preview = Il cliente leggerà:
verdict-instead = Invece:
verdict-promotional = Promozionale:
verdict-rule = Regola
verdict-not-ready = Non pronto
alt-tag = Invia con il tag { $tag }
alt-tag-human-agent = Rispondi con il tag operatore umano
alt-utility = Usa un modello di servizio approvato
alt-one-time = Usa il token di notifica singolo del cliente
alt-recurring = Usa il token di notifica ricorrente del cliente
alt-marketing = Invia un messaggio di marketing (prodotto a pagamento di Meta)
alt-sponsored = Invia un messaggio sponsorizzato (un annuncio)
alt-take-over = Prendi prima il controllo della conversazione dall'altra app
alt-wait = Aspetta che il cliente scriva di nuovo

## Errori
error-title = Errore
error-heading = Qualcosa è andato storto ({ $status })
error-back-to-inbox = Torna alla casella
error-no-conversation = Questa conversazione non esiste.
error-no-page = Fenestra non conosce la Pagina { $id }.
error-no-user = Non c'è un utente attivo di nome { $name }.
error-no-page-token = La Pagina { $id } non ha un token di accesso: un amministratore lo aggiunge con `fenestra page add`.
error-graph = Meta ha rifiutato: { $detail }
error-unavailable = Il database non risponde. Riprova tra un momento.
error-not-found = Non c'è niente a questo indirizzo.
error-render = Impossibile mostrare questa pagina.
error-unknown-template = Il modello { $name } ({ $language }) non è noto per questa Pagina: sincronizza i modelli.
error-missing-parameter = Il modello { $name } richiede { $param }.
error-empty = Scrivi prima un messaggio.
error-meta-limit = Meta rifiuterebbe questo messaggio: { $detail }
error-upload = Impossibile caricare il file: scegline uno di al massimo 25 MB.
error-not-send-api = I messaggi di marketing a pagamento partono come invii di massa, non da una conversazione.
error-refused-send = Questo messaggio non può essere inviato: { $title }. { $why }
error-unknown-page = Fenestra non conosce la Pagina { $id }.
forbidden-assign-others = Solo un amministratore può assegnare una conversazione a qualcun altro.
forbidden-take-colleagues = Solo un amministratore può prendere la conversazione di un collega.
forbidden-unassign-others = Solo un amministratore può togliere una conversazione a qualcuno.
forbidden-personas = Solo un amministratore può creare personaggi.
forbidden-saved-replies = Solo un amministratore può modificare le risposte salvate.
forbidden-export-customer = Solo un amministratore può esportare i dati di un cliente.
forbidden-erase-customer = Solo un amministratore può cancellare un cliente.
forbidden-retention = Solo un amministratore può cambiare per quanto tempo si conservano le conversazioni.
forbidden-automations = Solo un amministratore può modificare le automazioni.
invalid-label-empty = Un'etichetta non può essere vuota.
invalid-label-too-long = Un'etichetta ha al massimo { $max } caratteri.
invalid-label-comma = Un'etichetta non può contenere virgole.
invalid-label-control = Un'etichetta non può contenere caratteri di controllo.
invalid-status = Lo stato è aperta o chiusa, non { $value }.
invalid-window = Il filtro della finestra è aperta o chiusa, non { $value }.
invalid-search-too-long = Cerca al massimo { $max } caratteri.
invalid-search-control = Il testo cercato non può contenere caratteri di controllo.
invalid-note-empty = Una nota non può essere vuota.
invalid-persona-name = Un personaggio ha bisogno di un nome.
invalid-persona-picture = L'immagine di un personaggio è un indirizzo web che inizia con https://.
invalid-reply-empty = Una risposta salvata ha bisogno di un nome e di un testo.
invalid-retention = Conserva le conversazioni da 1 a { $max } giorni, oppure lascia vuoto per conservarle.
invalid-erase-confirm = Scrivi «{ $word }» per confermare: la cancellazione non si può annullare.
invalid-time-zone = { $zone } non è un fuso orario come Europe/Rome.
invalid-language = Scegli una delle lingue proposte.
invalid-password-short = Una password ha almeno { $min } caratteri.
invalid-password-mismatch = Le due nuove password sono diverse.
invalid-password-wrong = La password attuale è errata.
invalid-push-subscription = Questo dispositivo non ha potuto attivare le notifiche.

## Impostazioni e account
settings-my-account = Il mio account: lingua, fuso orario, password
settings-admin-only = Solo un amministratore può modificarle.
settings-replies = Risposte salvate
settings-replies-hint = {"{{first_name}}"} diventa il nome del cliente.
settings-delete = Elimina
settings-none-yet = Ancora nessuna.
settings-reply-name = Nome
settings-reply-text = Testo
settings-reply-save = Salva la risposta
settings-personas = Personaggi
settings-personas-hint = Un personaggio mostra il nome e la foto di un operatore sui messaggi inviati a suo nome.
settings-page = pagina { $id }
settings-persona-page = Pagina
settings-persona-name = Nome
settings-persona-picture = Indirizzo dell'immagine
settings-persona-create = Crea personaggio
settings-privacy = Privacy
settings-privacy-hint = Una conversazione inattiva da più tempo di quanto la sua pagina la conservi viene cancellata entro un'ora: messaggi, note e token spariscono, i conteggi restano.
settings-retention = Pagina { $id }: conserva le conversazioni per
settings-retention-days = giorni
settings-retention-empty = (vuoto: conserva)
settings-save = Salva
account-preferences = Lingua e ora
account-language = Lingua
account-language-browser = Come il mio browser
account-time-zone = Fuso orario
account-time-zone-hint = Gli orari nella casella sono mostrati in questo fuso; vuoto segue il browser.
account-saved = Salvato.
account-password = Password
account-password-current = Password attuale
account-password-new = Nuova password
account-password-repeat = Ripeti la nuova password
account-password-change = Cambia password
account-password-changed = Password cambiata. Le altre sessioni restano aperte fino alla scadenza.

## Cosa hanno fatto i clienti (gli eventi della conversazione)
event-postback = Ha toccato «{ $title }» (payload { $payload })
event-postback-referral = Ha toccato «{ $title }» (payload { $payload }), arrivando da { $source }, rif. { $ref }
event-referral = Ha aperto la conversazione da { $source }, rif. { $ref }
event-plugin-optin = Si è iscritto tramite un plugin (rif. { $ref })
event-one-time-optin = Ha accettato un messaggio futuro su «{ $topic }»
event-notifications-stopped = Ha interrotto le notifiche su «{ $topic }»
event-notifications-subscribed = Si è iscritto alle notifiche { $frequency } su «{ $topic }»
event-reaction = Ha reagito con { $emoji } a un messaggio
event-unreact = Ha ritirato una reazione
event-comment = Ha commentato un post: «{ $text }»
event-lead-form-complete = Il cliente ha completato un modulo contatti; la conversazione è tornata
event-lead-form-incomplete = Il cliente ha lasciato incompleto un modulo contatti; la conversazione è tornata
event-handed-over = { $app } ha passato la conversazione
event-taken-over = { $app } ha preso il controllo della conversazione
frequency-daily = giornaliere
frequency-weekly = settimanali
frequency-monthly = mensili
frequency-recurring = ricorrenti
event-asks-for-thread = { $app } chiede la conversazione

## Date e durate
when-yesterday = ieri { $time }
when-tomorrow = domani { $time }
when-weekday = { $day } { $time }
weekday-1 = lunedì
weekday-2 = martedì
weekday-3 = mercoledì
weekday-4 = giovedì
weekday-5 = venerdì
weekday-6 = sabato
weekday-7 = domenica
month-1 = gen
month-2 = feb
month-3 = mar
month-4 = apr
month-5 = mag
month-6 = giu
month-7 = lug
month-8 = ago
month-9 = set
month-10 = ott
month-11 = nov
month-12 = dic
date-day-month = { $day } { $month }
date-full = { $day }/{ $month }/{ $year }
date-time = { $date } { $time }
duration-days-hours = { $d } g { $h } h
duration-hours-minutes = { $h } h { $m } min
duration-minutes = { $n } min
ago-now = proprio ora
ago-minutes = { $n } min fa
ago-hours = { $n } h fa
ago-days = { $n ->
    [one] 1 giorno fa
   *[other] { $n } giorni fa
}

# Impostazioni → Automazioni
settings-automations-hint = Risposta immediata, orari di chiusura, risposte per parola chiave e menu di Messenger di ogni pagina.
automations-title = Automazioni
automations-applied = Versione { $version } applicata.
automations-instant-on = Risposta immediata: attiva.
automations-instant-off = Risposta immediata: disattivata.
automations-away-open = Orari ({ $zone }): aperto ora, risponde la risposta immediata.
automations-away-closed = Orari ({ $zone }): chiuso ora, risponde il messaggio di assenza.
automations-away-off = Orari di chiusura: disattivati.
automations-keywords = { $n ->
    [one] 1 risposta per parola chiave.
   *[other] { $n } risposte per parola chiave.
}
automations-profile = Profilo Messenger presso Meta
automations-profile-none = ancora nulla di impostato.
automations-profile-pending = in invio a Meta.
automations-profile-synced = aggiornato (sincronizzato { $ago }).
automations-profile-error = Meta lo ha rifiutato { $ago }: { $error }
automations-problems = { $n ->
    [one] 1 problema: non è cambiato nulla
   *[other] { $n } problemi: non è cambiato nulla
}
automations-line = riga { $line }
automations-document = Il documento
automations-document-hint = YAML, come lo stampa `fenestra automations export`; docs/automations.md spiega ogni chiave. Applicandolo viene controllato per intero: con un problema qualsiasi, non cambia nulla.
automations-apply = Controlla e applica
automations-versions = Cronologia
automations-version = Versione { $version } da { $by }
automations-refused = Il documento delle automazioni è stato rifiutato: { $problems }

# Settings → a page
settings-pages = Pagine
page-settings-title = Impostazioni della pagina
page-settings-id = Pagina { $id }
page-settings-token-yes = Fenestra ne conserva il token di accesso
page-settings-token-no = nessun token di accesso: aggiungilo con fenestra page add
page-settings-paused = invii sospesi: { $why }
page-settings-human-agent = Meta ha concesso l'autorizzazione Human Agent (gli operatori possono rispondere con HUMAN_AGENT per 7 giorni)
page-settings-utility = Meta ha concesso i messaggi di utilità (i modelli di utilità approvati possono partire in qualsiasi momento)
page-settings-default-app = Fenestra è l'app predefinita della pagina per Conversation Routing
page-settings-domains = Domini i cui link non sono promozionali
page-settings-domains-hint = Uno per riga, come shop.example.com: il tuo negozio, il sito di prenotazione.
forbidden-page-settings = Solo un amministratore può modificare le impostazioni di una pagina.
invalid-domain = «{ $domain }» non è un nome di dominio come shop.example.com.

# Settings → Users
users-title = Utenti
users-name = Nome
users-role = Ruolo
users-state = Stato
users-admin = Amministratore
users-agent = Operatore
users-active = attivo
users-disabled = disattivato
users-disable = Disattiva
users-enable = Riattiva
users-add = Aggiungi un utente
users-first-password = Prima password
users-first-password-hint = Consegnala di persona; l'utente la cambia in Il mio account.
forbidden-users = Solo un amministratore può aggiungere o disattivare utenti.
invalid-username = «{ $name }» non può essere un nome utente: da 2 a 32 caratteri tra a-z, 0-9, punto, trattino o trattino basso.
invalid-username-taken = Esiste già un utente chiamato «{ $name }».
invalid-disable-self = Non puoi disattivare te stesso: può farlo un altro amministratore.

# Settings → Templates
templates-title = Modelli
templates-hint = I modelli di utilità approvati da Meta raggiungono un cliente in qualsiasi momento con un aggiornamento su un ordine o una prenotazione (da aprile 2026 al posto di tre tag); niente promozioni.
templates-name = Nome
templates-language = Lingua
templates-status = Revisione
templates-body = Testo
templates-body-hint = Ciao {"{{first_name}}"}, il tuo ordine {"{{order_id}}"} è stato spedito.
templates-sync = Aggiorna da Meta
templates-submit = Invia per la revisione
templates-approved = approvato
templates-pending = in revisione
templates-rejected = rifiutato
templates-paused = sospeso
forbidden-templates = Solo un amministratore può inviare modelli.
invalid-template-name = «{ $name }» non può essere il nome di un modello: lettere minuscole, cifre e trattini bassi.
invalid-template-body = Un modello ha bisogno di un testo.

# The admins' banner
alert-connection-lost = La pagina { $page } non è collegata: Meta ha rifiutato l'iscrizione ai webhook o il token della pagina, quindi i nuovi messaggi potrebbero non arrivare.
alert-connection-what = Cosa fare
page-settings-reconnect = Se Meta rifiuta il token della pagina, dai a Fenestra un token nuovo (fenestra page add --id … --token …); Fenestra riscrive da sé la pagina ai webhook quando Meta l'ha tolta.

## Collegare una Pagina (Accesso con Facebook)
connect-title = Collega una Pagina
connect-again = Collega di nuovo
connect-intro = Fenestra risponde per la tua Pagina Facebook tramite la tua app Meta. Incolla l'indirizzo del webhook nella App Dashboard di Meta, accedi con Facebook, scegli le Pagine.
connect-step-webhook = 1. Nella App Dashboard di Meta (Webhooks → Page), inserisci questo callback URL e questo verify token. Fenestra li registra anche da sé quando colleghi.
connect-callback-url = Callback URL
connect-verify-token = Verify token
connect-step-login = 2. Accedi con Facebook come persona che gestisce la Pagina e consenti ciò che Fenestra chiede.
connect-login-business = Facebook Login for Business, configurazione { $id }.
connect-login-manual = Accesso con Facebook, con la richiesta di: { $scopes }.
connect-no-marketing = I messaggi di marketing a pagamento richiedono Facebook Login for Business: imposta FENESTRA_LOGIN_CONFIG_ID.
connect-login-button = Continua con Facebook
connect-not-configured = Per collegare una Pagina servono l'id della tua app Meta e l'indirizzo da cui Meta raggiunge Fenestra: avvia fenestra serve con --app-id (FENESTRA_APP_ID) e --public-url (FENESTRA_PUBLIC_URL). Nel frattempo, aggiungi una Pagina con fenestra page add.
connect-step-choose = 3. Scegli le Pagine per cui risponde Fenestra.
connect-tasks = i tuoi compiti: { $tasks }
connect-choose-button = Collega le Pagine spuntate
connection-title = Collegamento
connection-token = Token di accesso
connection-token-valid = Il token funziona e non scade da solo.
connection-token-expires = Il token funziona fino al { $date }.
connection-token-invalid = Meta rifiuta il token: { $error }. Collega di nuovo la Pagina.
connection-permissions = Autorizzazioni: { $list }
connection-error = Impossibile chiedere a Meta: { $error }
connection-subscription = Webhook
connection-complete = Iscritto a ogni evento che serve a Fenestra, a livello di app e di Pagina.
connection-missing = Questi eventi non arrivano a Fenestra (non iscritti a entrambi i livelli): { $fields }. Collega di nuovo la Pagina.
connection-arrival-yes = I webhook di questa Pagina arrivano: l'ultimo { $ago }.
connection-arrival-waiting = Ancora nessun webhook da questa Pagina. Scrivi alla Pagina da Messenger: questa riga si aggiorna da sola.
connection-features = Che cosa Meta ha concesso alla Pagina
connection-human-agent = Human Agent (una persona risponde fino a 7 giorni dopo): { $review }
connection-utility = Messaggi di servizio da modelli approvati: { $review }
connection-marketing-yes = Messaggi di marketing a pagamento: consentiti a questo token.
connection-marketing-no = Messaggi di marketing a pagamento: non consentiti a questo token (servono Facebook Login for Business con ads_management e paid_marketing_messages).
connection-default-app-yes = Instradamento delle conversazioni: Fenestra è l'app predefinita della Pagina, come dicono le Impostazioni della Pagina (Meta lo mostra nelle impostazioni della Pagina → Messaggistica avanzata).
connection-default-app-no = Instradamento delle conversazioni: un'altra app è la predefinita della Pagina, quindi Fenestra non può scrivere nelle conversazioni che nessuno controlla. Cambiala nelle impostazioni della Pagina su Meta (Messaggistica avanzata), poi qui.
connect-review-approved = approvato
connect-review-pending = in revisione
connect-review-refused = rifiutato o limitato
connect-review-unknown = non richiesto
invalid-no-managed-pages = Questo accesso a Facebook non gestisce alcuna Pagina: accedi come persona con un ruolo sulla Pagina.
invalid-login-refused = L'accesso con Facebook è stato annullato o rifiutato: { $why }
invalid-login-expired = Questo accesso con Facebook è sconosciuto o più vecchio di 15 minuti: ricomincia.
invalid-login-not-configured = Per collegare una Pagina servono FENESTRA_APP_ID (--app-id) e FENESTRA_PUBLIC_URL (--public-url).

## Appuntamenti e contatti
nav-bookings = Appuntamenti
nav-leads = Contatti
bookings-title = Appuntamenti
bookings-page = Pagina
bookings-none = Nessun appuntamento nella prossima settimana.
bookings-no-setup = Questa Pagina non accetta ancora prenotazioni: aggiungi una sezione booking (servizi, personale e orari) ai suoi flussi.
bookings-time = Ora
bookings-customer = Cliente
bookings-service = Servizio
bookings-with = Con
bookings-reminder = Promemoria
bookings-reminder-none = nessuno
bookings-reminder-pending = da inviare
bookings-reminder-sent = inviato
bookings-reminder-template = inviato come modello
bookings-reminder-dropped = scartato: l'appuntamento era iniziato
bookings-reminder-impossible = non inviato: nessun modo conforme (vedi la conversazione)
bookings-cancelled = annullato
bookings-cancel = Annulla
bookings-move = Sposta
bookings-when = Quando
bookings-moved = L'appuntamento è stato spostato.
bookings-full = Quell'orario non va: fuori orario o già pieno.
leads-title = Contatti
leads-hint = Ciò che i flussi e i moduli per contatti di Meta hanno raccolto da ogni cliente.
leads-csv = Scarica come CSV
leads-none = Ancora nessun contatto.
leads-updated = Aggiornato

## Flussi
flows-title = Flussi
flows-none = Ancora nessun flusso: scrivili qui sotto, o applica examples/flows/salon.yaml.
flows-trigger = Parte con: { $trigger }
flows-steps = { $n ->
    [one] 1 passo
   *[other] { $n } passi
}
flows-customers = { $n ->
    [one] 1 cliente vi si trova ora
   *[other] { $n } clienti vi si trovano ora
}
flows-try = Prova
flows-try-inputs = Cosa scrive il cliente, un messaggio per riga
flows-try-hint = Scrivi un tocco come [PAYLOAD]. Non si invia né si salva nulla; i tuoi sistemi non vengono chiamati.
flows-try-language = Lingua del cliente
flows-try-run = Esegui
flows-try-customer = Cliente:
flows-try-bot = Bot:
flows-try-retry = (parole di Fenestra: la risposta non va bene, rispondi di nuovo)
flows-try-slots = (si offrono gli orari liberi per { $service })
flows-try-saved = salvato: { $field } = { $value }
flows-try-labels = etichette: +{ $add } −{ $remove }
flows-try-handover = passato a una persona
flows-try-unbook = appuntamenti futuri annullati
flows-try-not-called = { $url } non viene chiamato in una prova: si segue il percorso d'errore
flows-try-end = fine del flusso
flows-document-hint = L'intero documento, come lo scrive fenestra flows export; docs/flows.md spiega ogni passo.
flows-kind-send = invia
flows-kind-ask = chiedi
flows-kind-branch = dirama
flows-kind-labels = etichette
flows-kind-wait = attendi
flows-kind-handover = passa a persona
flows-kind-book = prenota
flows-kind-unbook = annulla prenotazione
flows-kind-call = chiama sistema
flows-kind-unknown = ?
flows-kind-else = altrimenti
flows-kind-error = in caso di errore
flows-decisions = Ultimi 30 giorni: { $sent } messaggi inviati, { $refused } rifiutati dalla policy.
flows-no-step = Non c'è il passo { $step } nei flussi di questa Pagina.
flows-edit-step = Modifica un passo:
flows-step-text = Cosa dice
flows-step-text-default = In ogni altra lingua (predefinito)
flows-step-save = Salva la risposta nel campo
flows-step-expect = La risposta deve essere
flows-expect-text = un testo qualsiasi
flows-expect-email = un indirizzo e-mail
flows-expect-phone = un numero di telefono
flows-expect-number = un numero
flows-expect-date = una data
flows-expect-choice = una delle scelte
flows-step-choices = Scelte
flows-step-choices-hint = Una per riga: valore: titolo (il titolo che il cliente tocca, il valore salvato).
flows-step-wait = Attendi (30m, 2h, 1d)
flows-step-labels-add = Aggiungi le etichette (separate da virgole)
flows-step-labels-remove = Togli le etichette
flows-step-url = L'indirizzo da chiamare
flows-step-next = Poi
flows-step-end = fine del flusso
flows-step-on-error = Se non riesce
flows-step-handover = passa a una persona
flows-step-kept = Ciò che questo modulo non mostra (pulsanti, schede, immagini, rami, campi salvati di una chiamata) resta com'è; modificalo nel documento.
flows-step-text-in = In { $language }

# Broadcasts, audiences, customer lists, marketing messages
nav-broadcasts = Invii di massa
forbidden-broadcasts = Solo un amministratore può inviare invii di massa, modificare i pubblici o importare elenchi di clienti.
broadcast-unknown = L'invio { $id } non esiste.
broadcast-wrong-state = Questo invio è { $status }: ora non si può fare.
broadcast-campaign-refused = Meta ha rifiutato la campagna dei messaggi di marketing a pagamento: { $detail }
broadcast-invalid = Controlla: { $detail }
audience-name-needed = Dai un nome al pubblico (fino a 80 caratteri).
list-unreadable = Impossibile leggere l'elenco: { $detail }
broadcasts-title = Invii di massa
broadcasts-new = Nuovo invio
audiences-title = Pubblici
broadcasts-intro = Ogni cliente viene raggiunto solo nel modo che Meta consente per lui: nella finestra di 24 ore, con un modello di utilità approvato, un token di notifica o un messaggio di marketing a pagamento. Gli altri vengono saltati, con il motivo.
broadcasts-name = Nome
broadcasts-status = Stato
broadcasts-progress = Avanzamento
broadcasts-sent = Inviati
broadcasts-skipped = Saltati
broadcasts-none = Ancora nessun invio.
broadcast-status-scheduled = Programmato
broadcast-status-sending = In invio
broadcast-status-paused = In pausa
broadcast-status-done = Completato
broadcast-status-cancelled = Annullato
broadcast-paused-manual = messo in pausa da una persona
broadcast-paused-late = doveva partire più di un'ora fa (Fenestra era spento): conferma per inviarlo ora
broadcast-paused-policy_enforcement = Meta ha inviato un avviso di applicazione delle norme per la Pagina
broadcast-paused-page_restricted = Meta ha limitato l'invio della Pagina
broadcast-paused-block_rate = troppi clienti hanno bloccato la Pagina
broadcast-paused-error_rate = troppi invii non riusciti
broadcast-paused-budget = il budget di marketing è esaurito; riprende quando Meta lo consente
broadcast-paused-marketing_setup = la configurazione del marketing a pagamento va sistemata (account pubblicitario, termini, pagamento)
marketing-title = Messaggi di marketing a pagamento
marketing-intro = La Marketing Message API di Meta raggiunge gli iscritti fuori dalla finestra di 24 ore, a pagamento per messaggio consegnato (Vietnam, Malesia e altre 18 regioni; non verso persone in UE, Regno Unito, Giappone, Corea del Sud o Australia).
marketing-saved = Salvato.
marketing-ad-account = Account pubblicitario (act_…)
marketing-business-token = Token aziendale (vuoto: il token della Pagina)
marketing-daily-budget = Budget giornaliero (unità minime)
marketing-block-rate = Metti in pausa sopra questa quota di blocchi (%)
marketing-error-rate = Metti in pausa sopra questa quota di errori (%)
marketing-default-country = Paese dei numeri senza prefisso
marketing-save = Salva
broadcast-text = Messaggio
broadcast-text-hint = Ciao {"{{"}first_name{"}}"}, …
broadcast-languages = Il messaggio in altre lingue
broadcast-image = Immagine (indirizzo https)
broadcast-who = A chi
broadcast-everyone = Tutti i contatti della Pagina
broadcast-segment = Queste condizioni:
broadcast-utility = Fuori dalla finestra, un modello di utilità approvato
broadcast-utility-none = Nessuno
broadcast-utility-params = Parametri del modello (nome=valore per riga)
broadcast-when = Quando
broadcast-now = Ora
broadcast-at = A un'ora
broadcast-local = Alla stessa ora nel fuso di ogni cliente
broadcast-at-time = Data e ora
broadcast-local-hour = Ora locale
broadcast-window = Solo tra le 8:00 e le 21:00 del cliente
broadcast-plan = Pianifica
segment-labels-any = Con una di queste etichette
segment-labels-none = Senza queste etichette
segment-active-within = Attivi negli ultimi (giorni)
segment-inactive-for = Inattivi da almeno (giorni)
segment-languages = Lingue
segment-countries = Paesi
segment-source = Arrivati da (ref o annuncio)
segment-field = Campo fornito
segment-marketing = Iscritti ai messaggi di marketing
segment-booking = Ha un appuntamento in arrivo
segment-any = Qualsiasi
segment-yes = Sì
segment-no = No
plan-title = Il piano
plan-recipients = { $n ->
    [one] { $n } destinatario
   *[other] { $n } destinatari
}
plan-promotional = contenuto promozionale: fuori dalla finestra solo i messaggi di marketing a pagamento possono portarlo
plan-path = Via
plan-count = Clienti
plan-path-update = Nella finestra di 24 ore
plan-path-utility = Modello di utilità
plan-path-notification = Notifica ricorrente
plan-path-one_time = Notifica singola
plan-path-marketing = Messaggio di marketing a pagamento
plan-path-skipped = Saltato
plan-skipped = Saltati, e perché
plan-estimate = Stima di Meta per la parte a pagamento (consegne · costo)
plan-samples = Cinque clienti e il loro verdetto
plan-send = Invia come pianificato
broadcast-pause = Pausa
broadcast-resume = Riprendi
broadcast-cancel = Annulla
result-planned = In attesa
result-queued = In coda
result-sent = Inviati
result-delivered = Consegnati
result-read = Letti
result-replied = Hanno risposto
result-blocked = Hanno bloccato la Pagina
result-failed = Non riusciti
result-refused = Rifiutati all'uscita (regole cambiate)
result-skipped = Saltati
broadcast-reasons = Perché i clienti sono stati saltati o rifiutati
broadcast-skipped-csv = Elenco dei saltati (CSV)
broadcast-results-csv = Tutti i risultati (CSV)
audiences-contacts = { $n ->
    [one] { $n } contatto
   *[other] { $n } contatti
}
audience-name = Nome
audience-count = Contatti ora
audience-delete = Elimina
audiences-none = Ancora nessun pubblico salvato.
audience-new = Nuovo pubblico
audience-save = Salva il pubblico
list-intro = Un CSV con telefono e/o email e una colonna di consenso. Chi ha dato a Fenestra lo stesso numero o indirizzo riceve un'etichetta; nessuno viene contattato tramite il numero. Gli altri possono andare agli strumenti pubblicitari di Meta come file con hash.
list-name = Nome dell'elenco
list-file = File CSV
list-import = Importa
list-rows = { $n ->
    [one] { $n } riga
   *[other] { $n } righe
}
list-without-consent = { $n } senza consenso (scartati)
list-matched = { $n } trovati
list-unmatched = { $n } non trovati
list-labelled = I clienti trovati hanno l'etichetta { $label }.
list-invalid = Righe illeggibili
list-line = Riga { $line }
list-hashed = Scarica i non trovati come file con hash per gli strumenti pubblicitari di Meta
optin-ask = Chiedi l'iscrizione alle offerte
optin-hint = La richiesta di iscrizione di Meta, solo nella finestra di 24 ore, una volta a settimana per titolo. Gli iscritti potranno poi ricevere messaggi di marketing a pagamento.
optin-title = Titolo
optin-title-placeholder = Offerte settimanali
optin-send = Invia la richiesta
optin-refused = La richiesta non può partire ora ({ $rule }).
optin-too-soon = Una richiesta intitolata «{ $title }» è andata a questo cliente meno di una settimana fa.
optin-title-too-long = Il titolo ha al massimo 65 caratteri.
customer-list-title = Importa un elenco di clienti

# Comments inbox and links (entry points).
nav-comments = Commenti
nav-links = Link e QR
comments-title = Commenti ai post della Pagina
comments-post = Post
comments-all-posts = Tutti i post
comments-unanswered = Senza risposta
comments-with-private-reply = Con risposta privata
comments-filter = Mostra
comments-open-post = Apri su Facebook
comments-by-page = La Pagina
comments-open-conversation = Apri la conversazione
comments-hidden = Nascosto
comments-removed = Eliminato
comments-edited = Modificato
comments-replied = Risposto pubblicamente
comments-private-sent = Risposta privata inviata
comments-public-placeholder = Rispondi sotto il commento…
comments-reply-public = Rispondi pubblicamente
comments-private-placeholder = Messaggio su Messenger…
comments-reply-private = Invia risposta privata
comments-private-closed = La risposta privata è possibile solo entro 7 giorni dal commento.
comments-hide = Nascondi
comments-unhide = Mostra di nuovo
comments-delete = Elimina
comments-delete-confirm = Eliminare questo commento su Facebook? Non si può annullare.
comments-none = Ancora nessun commento. Compaiono qui quando i clienti scrivono sotto i post della Pagina.
comments-done = Inviato a Facebook.
comments-unknown-action = Fenestra non può fare questo a un commento.
links-title = Link, codici QR e da dove arrivano i clienti
links-hint = Un link m.me con un ref conta chi arriva da lì. Stampa il suo codice QR per la cassa.
links-period = Periodo
links-days = { $n ->
    [one] ultimo giorno
   *[other] ultimi { $n } giorni
}
links-get-started-missing = La Pagina non ha il pulsante Inizia: Meta apre un link m.me per un nuovo cliente solo tramite esso.
links-open-automations = Impostalo nelle automazioni
links-saved = Link { $ref } salvato.
links-new = Crea un link
links-ref = Ref
links-ref-hint = Solo lettere, cifre, - _ =: Meta scarta il resto.
links-name = Nome
links-prefill = Testo già scritto per il cliente
links-label = Etichetta per chi arriva
links-kind = Tipo
links-source-link = Link m.me
links-source-ad = Annuncio
links-kind-signed = Link firmati (scontrini)
links-save = Salva
links-entry-points = I tuoi link
links-none = Ancora nessun link.
links-code = Codice QR
links-new-conversations = Nuove conversazioni
links-arrivals = Arrivi recenti
links-leads = Contatti
links-bookings = Prenotazioni
links-broadcast-replies = Hanno risposto a un invio
links-link = Link
links-card-language = Lingua del cartoncino
links-card = Cartoncino
links-delete = Rimuovi
links-delete-confirm = Rimuovere il link? I codici stampati continuano a funzionare; gli arrivi contano come ref sconosciuto.
links-other-sources = Altre provenienze
links-no-sources = Nessun cliente in questo periodo.
links-source = Provenienza
links-source-comment = Commento
links-source-get-started = Inizia
links-source-organic = Ha scritto da sé
links-signed-title = Link firmati per gli scontrini
links-signed-hint = Il link porta un numero d'ordine o di cliente firmato: quando il cliente scrive, la conversazione lo mostra. Un link alterato non è mai creduto.
links-signed-entry = Conta sotto
links-signed-subject = Cosa porta
links-signed-order = Ordine
links-signed-customer = Cliente
links-signed-id = Numero
links-signed-make = Crea il link
links-unknown = Non esiste il link { $ref }.
links-invalid = { $field }: { $problem }
forbidden-entry-points = Solo un amministratore può creare o rimuovere link, codici QR e link firmati.

# The thread: how the customer arrived, their comments.
profile-latest-arrival = Ultimo arrivo
profile-comments = I suoi commenti

# Analytics: responsiveness.
nav-analytics = Statistiche
analytics-title = Quanto rapidamente e quanto spesso risponde il team
analytics-from = Dal
analytics-to = Al
analytics-show = Mostra
analytics-team = Il team
analytics-response-rate = Tasso di risposta
analytics-median = Tempo di risposta mediano
analytics-p90 = 90 % risposte entro
analytics-requests = Risposte / richieste
analytics-before = Periodo precedente:
analytics-team-hint = Un messaggio del cliente senza risposta conta una volta; la prima risposta della Pagina entro 24 ore lo chiude. Le risposte immediate e i messaggi di assenza non sono risposte.
analytics-updating = Alcune conversazioni sono ancora in conteggio (dopo una ricostruzione o un picco di messaggi): queste cifre cambieranno per qualche minuto.
analytics-badge = Badge “molto reattivo” di Meta (stima)
analytics-badge-met = I criteri sono soddisfatti.
analytics-badge-unmet = I criteri non sono soddisfatti.
analytics-badge-rate = Tasso di risposta almeno 90 %
analytics-badge-time = Tempo di risposta al massimo 15 minuti
analytics-badge-more = { $n ->
    [one] Rispondi a 1 altra conversazione entro 15 minuti per arrivare al 90 %.
   *[other] Rispondi ad altre { $n } conversazioni entro 15 minuti per arrivare al 90 %.
}
analytics-badge-faster = Rispondi più in fretta: il 90 % più rapido delle risposte deve stare in media entro 15 minuti.
analytics-badge-uncertain = Le regole del badge vengono dal Centro assistenza di Meta come altri le riportano: se guarda 7 o 30 giorni e come esclude le conversazioni spam o concluse non è pubblicato. Le risposte del bot di Fenestra contano; le ore di assenza fermano l'orologio.
analytics-by-day = Giorno per giorno
analytics-day = Giorno
analytics-none = Nessun cliente ha scritto in questo periodo.
analytics-by-agent = Per operatore
analytics-agent = Operatore
analytics-answered = Risposte
analytics-no-agents = Nessun operatore ha risposto in Fenestra in questo periodo.
analytics-median-minutes = Mediana (minuti)
analytics-seconds = { $n } s
analytics-minutes = { $n } min
analytics-hours = { $n } h

# Analytics: volume, audience, compliance.
analytics-volume = Volume
analytics-messages-in = Messaggi dai clienti
analytics-messages-out = Messaggi dalla Pagina
analytics-new = Nuovi clienti
analytics-returning = Clienti di ritorno
analytics-opted-out = Disiscritti
analytics-heat = Quando scrivono i clienti
analytics-audience = Chi scrive
analytics-compliance = Cosa ha deciso la policy
analytics-allowed = Consentiti
analytics-refused = Rifiutati prima di Meta
analytics-warned = Con avvisi
analytics-count = Numero
analytics-ratings = Valutazioni alla chiusura

# Analytics: outcomes.
analytics-outcomes = A cosa hanno portato i messaggi
analytics-no-outcomes = Nessun invio iniziato e nessun flusso eseguito in questo periodo.
analytics-planned = Previsti
analytics-sent = Inviati
analytics-delivered = Consegnati
analytics-read = Letti
analytics-replied = Hanno risposto
analytics-flow = Flusso
analytics-started = Avviati
analytics-finished = Completati

# Analytics: Meta Page insights.
analytics-insights = Blocchi e segnalazioni (insights di Meta)
analytics-no-insights = Niente ancora da Meta: Fenestra chiede ogni ora (serve il permesso read_insights).
analytics-metric = Metrica
analytics-metric-blocked-conversations-unique = Conversazioni bloccate
analytics-metric-reported-conversations-unique = Conversazioni segnalate
analytics-metric-new-conversations-unique = Nuove conversazioni (Meta)
analytics-metric-total-messaging-connections = Persone a cui la Pagina può scrivere
