# Fenestra's inbox in English. Every other language has exactly these messages
# (tests/catalogue.rs compares them). `$n` counts select plural forms.

## Navigation and page titles
nav-inbox = Inbox
nav-settings = Settings
nav-account = My account
nav-logout = Log out
title-inbox = Inbox
list-title = Conversations
inbox-pick = Pick a conversation on the left to read and answer it.
notify-enable = Turn on notifications
notify-on = Notifications on
notify-title = New message
notify-body = { $name } wrote to the Page.
flash-dismiss = Dismiss
yes = yes
no = no

## Login
login-title = Log in
login-username = Username
login-password = Password
login-submit = Log in
login-wrong = Wrong username or password.
login-too-many = Too many attempts from this address: try again in { $seconds } s.
login-name-too-long = That username is too long.

## Conversation list
filter-search = Search names and messages
filter-assignee = Assignee
filter-anyone = Anyone
filter-mine = Mine
filter-unassigned = Unassigned
filter-status = Status
filter-any-status = Open and closed
filter-open = Open
filter-closed = Closed
filter-window = Window
filter-any-window = Any window
filter-window-open = Window open
filter-window-closed = Window closed
filter-label = Label
filter-any-label = Any label
filter-apply = Filter
list-empty = No conversations match. When a customer writes to the Page, it appears here.
conversations-unread = { $n -> 
    [one] 1 unread
   *[other] { $n } unread
}
status-closed = closed
speaker-agent = You:
speaker-automation = Auto:
speaker-broadcast = Broadcast:
speaker-api = API:
speaker-other-app = Other app:
preview-attachment = [attachment]

## What may be sent now (the badge on each conversation)
badge-open = Reply freely · { $left } left
badge-open-tip = The customer wrote in the last 24 hours: any message may be sent until { $until }.
badge-human = Agent reply only · { $left } left
badge-human-tip = The 24-hour window has closed. Until { $until } (7 days after the customer's last message) a person may still answer with the human agent tag; automations may not.
badge-closed = Only templates
badge-closed-tip = More than 7 days since the customer last wrote: only an approved utility template or a notification token they gave can reach them, until they write again.
badge-none = Has not written
badge-none-tip = This customer has not written to the Page: only a token they gave can reach them.

## Thread
thread-title = Conversation
thread-back = ‹ Conversations
thread-customer = Customer
thread-empty = Nothing here yet.
customer-unnamed = Customer { $psid }
profile-locale = Language
profile-timezone = Time zone
profile-first-contact = First contact
profile-tokens = Tokens held
profile-none = none
profile-unknown = unknown
source-wrote = wrote to the Page
source-kind = { $kind }
source-kind-ref = { $kind }, ref { $ref }
token-one-time = One-time: { $topic }
token-recurring = { $frequency } until { $until }: { $topic }
token-no-topic = no topic
token-no-end = no end
token-recurring-any = recurring
quick-reply = Quick reply: { $payload }
with-quick-replies = with quick replies
by-agent = { $name }
by-persona = { $name } as { $persona }
by-automation-instant_reply = Instant reply
by-automation-opt_out = Opt-out confirmation
by-automation-away = Away message
by-automation-keyword = Keyword answer
by-automation-handover = Handover to a person
by-automation-disclosure = Automation notice
by-automation-goodbye = Goodbye
by-automation-rating = Rating question
by-automation = Automation
by-broadcast = Broadcast
by-api = Integration { $name }
by-other-app = { $app }
by-page-inbox = Meta Business Suite inbox
how-response = reply
how-update = update
how-human-agent = human agent tag
how-tag = tag { $tag }
how-utility = utility template
how-one-time = one-time token
how-recurring = notification token
how-private-reply = private reply
state-queued = queued
state-sending = sending
state-unknown = waiting for Meta's confirmation
state-sent = sent
state-delivered = delivered
state-read = read
state-failed = not sent: { $error }
state-failed-plain = not sent
attachment-image = Image
attachment-video = Video
attachment-audio = Audio
attachment-file = File
attachment-location = Location
attachment-sticker = Sticker
attachment-fallback = Link
attachment-template = Card
attachment-location-at = Location { $lat }, { $long }
template-sent = [utility template]
app-page-inbox = Meta Business Suite inbox
app-lead-ads = Meta's lead-ads app
app-unknown = Another app
app-other = App { $id }

## The team's panel
team-title = Team
team-assigned-to = Assigned to
team-nobody = nobody
team-assign = Assign
team-unassigned = Nobody is on this conversation.
team-take = Take it
team-yours = You are on this conversation.
team-let-go = Let go
team-theirs = { $name } is on this conversation.
team-close = Close
team-reopen = Reopen
team-mark-seen = Mark seen
team-mark-seen-count = { $n ->
    [one] Mark seen (1 unread)
   *[other] Mark seen ({ $n } unread)
}
team-mark-seen-tip = Shows the customer their messages were seen
labels-title = Labels
labels-add = Add
labels-add-placeholder = Add a label
labels-remove = Remove label { $label }
notes-title = Notes
notes-private = (only the team sees them)
notes-none = None yet.
notes-placeholder = Note for the team
notes-add = Add note
decisions-title = Decisions
decisions-none = None yet.
decisions-detail = Rule
decision-allow = Allowed
decision-deny = Refused

## Conversation Routing, pauses, opt-outs
routing-owner = { $app } is handling this conversation. Fenestra's replies and automations wait until { $until } (after 24 idle hours).
routing-owner-open = { $app } is handling this conversation. Fenestra's replies and automations wait.
routing-take-over = Take over
routing-hand-back = Hand back to Meta's inbox
routing-hand-back-tip = Pass the conversation to Meta Business Suite's inbox
routing-not-default-app = Fenestra is not this Page's default app: it may write only in conversations it controls.
routing-paused-until = Automations paused until { $until } ({ $why }).
routing-paused-until-close = Automations paused until the conversation closes ({ $why }).
pause-replied-elsewhere = staff answered from another app or Meta's inbox
pause-agent = an agent paused them
pause-asked-for-person = the customer asked for a person
routing-resume = Resume automations
routing-pause = Pause automations
routing-opted-out = Opted out { $when }: no automated or broadcast messages; a person may answer once they write again.
routing-clear-opt-out = Clear the opt-out
routing-set-opt-out = Mark as opted out

## Customer data (admins)
privacy-title = Customer data
privacy-export = Export this customer's data
privacy-erase-word = erase
privacy-erase-confirm = Type “erase” to erase this customer
privacy-erase = Erase
privacy-erased = Personal data erased { $when }.
export-title = Customer data
export-heading = Everything Fenestra holds about customer { $psid }
export-when = Exported { $when }
export-json = Download as JSON
export-back = Back to the conversation
export-profile = Profile
export-name = Name
export-opted-out = Opted out
export-erased = Erased
export-messages = { $n ->
    [one] 1 message
   *[other] { $n } messages
}
export-everything = Everything, as JSON
export-from-customer = Customer
export-from-page = Page

## Composer
composer-what = What to send
composer-mode-text = Message
composer-mode-template = Utility template
composer-mode-token = Notification token
composer-saved-reply = Saved reply
composer-choose = choose…
composer-placeholder = Write a reply…
composer-tag = Tag
composer-tag-none = none
composer-tag-human-agent = Human agent (7 days)
composer-rich = Picture, buttons, quick replies
composer-attachment = Picture or file at
composer-upload = or a file from this device
composer-buttons = Buttons (up to 3)
composer-buttons-hint = One per line: Book a fitting = BOOK, or Our shop = https://…
composer-quick-replies = Quick replies (up to 13)
composer-quick-replies-hint = One per line: Size M = SIZE_M
composer-template = Template
composer-token = Token
composer-token-placeholder = The one message this token allows…
composer-send-as = Send as
composer-as-page = the Page
composer-send = Send
composer-send-refused = This message cannot be sent now: see why below.

## The policy's verdict as the agent types
verdict-allowed = Can be sent
verdict-refused = Cannot be sent:
verdict-how = as { $how }
verdict-sent = Sent.
verdict-preview = The customer will read:
verdict-instead = Instead:
verdict-promotional = Promotional:
verdict-rule = Rule
verdict-not-ready = Not ready
alt-tag = Send with the { $tag } tag
alt-tag-human-agent = Answer with the human agent tag
alt-utility = Use an approved utility template
alt-one-time = Use the customer's one-time notification token
alt-recurring = Use the customer's recurring notification token
alt-marketing = Send a marketing message (Meta's paid product)
alt-sponsored = Send a sponsored message (an ad)
alt-take-over = Take over the conversation from the other app first
alt-wait = Wait until the customer writes again

## Errors
error-title = Error
error-heading = Something went wrong ({ $status })
error-back-to-inbox = Back to the inbox
error-no-conversation = There is no such conversation.
error-no-page = Page { $id } is not known to Fenestra.
error-no-user = There is no active user named { $name }.
error-no-page-token = Page { $id } has no access token: an admin adds it with `fenestra page add`.
error-graph = Meta refused: { $detail }
error-unavailable = The database is not answering. Try again in a moment.
error-not-found = There is nothing at this address.
error-render = This page could not be shown.
error-unknown-template = The template { $name } ({ $language }) is not known for this Page: sync the templates.
error-missing-parameter = The template { $name } needs { $param }.
error-empty = Write a message first.
error-meta-limit = Meta would refuse this message: { $detail }
error-upload = The file could not be uploaded: pick one of at most 25 MB.
error-not-send-api = Paid marketing messages go out as broadcasts, not from a conversation.
error-refused-send = This message cannot be sent: { $title }. { $why }
error-unknown-page = Page { $id } is not known to Fenestra.
forbidden-assign-others = Only an admin may assign a conversation to someone else.
forbidden-take-colleagues = Only an admin may take a colleague's conversation.
forbidden-unassign-others = Only an admin may take a conversation away from someone.
forbidden-personas = Only an admin may create personas.
forbidden-saved-replies = Only an admin may change saved replies.
forbidden-export-customer = Only an admin may export a customer's data.
forbidden-erase-customer = Only an admin may erase a customer.
forbidden-retention = Only an admin may change how long conversations are kept.
forbidden-automations = Only an admin may change the automations.
invalid-label-empty = A label cannot be empty.
invalid-label-too-long = A label has at most { $max } characters.
invalid-label-comma = A label cannot contain a comma.
invalid-label-control = A label cannot contain control characters.
invalid-status = The status is open or closed, not { $value }.
invalid-window = The window filter is open or closed, not { $value }.
invalid-search-too-long = Search for at most { $max } characters.
invalid-search-control = Search text cannot contain control characters.
invalid-note-empty = A note cannot be empty.
invalid-persona-name = A persona needs a name.
invalid-persona-picture = A persona's picture is a web address starting with https://.
invalid-reply-empty = A saved reply needs a name and a text.
invalid-retention = Keep conversations 1 to { $max } days, or leave the field empty to keep them.
invalid-erase-confirm = Type “{ $word }” to confirm: erasing cannot be undone.
invalid-time-zone = { $zone } is not a time zone such as Asia/Ho_Chi_Minh.
invalid-language = Pick one of the languages offered.
invalid-password-short = A password has at least { $min } characters.
invalid-password-mismatch = The two new passwords differ.
invalid-password-wrong = The current password is wrong.
invalid-push-subscription = This device could not subscribe to notifications.

## Settings and account
settings-my-account = My account: language, time zone, password
settings-admin-only = Only an admin can change these.
settings-replies = Saved replies
settings-replies-hint = {"{{first_name}}"} becomes the customer's first name.
settings-delete = Delete
settings-none-yet = None yet.
settings-reply-name = Name
settings-reply-text = Text
settings-reply-save = Save reply
settings-personas = Personas
settings-personas-hint = A persona shows an agent's name and picture on the messages sent as it.
settings-page = page { $id }
settings-persona-page = Page
settings-persona-name = Name
settings-persona-picture = Picture address
settings-persona-create = Create persona
settings-privacy = Privacy
settings-privacy-hint = A conversation idle for longer than its page keeps it is erased within the hour: messages, notes and tokens go, the counts stay.
settings-retention = Page { $id }: keep conversations for
settings-retention-days = days
settings-retention-empty = (empty: keep)
settings-save = Save
account-preferences = Language and time
account-language = Language
account-language-browser = As my browser
account-time-zone = Time zone
account-time-zone-hint = Times in the inbox are shown in this zone; empty follows the browser.
account-saved = Saved.
account-password = Password
account-password-current = Current password
account-password-new = New password
account-password-repeat = New password again
account-password-change = Change password
account-password-changed = Password changed. Other sessions stay logged in until they expire.

## What customers did (the thread's events)
event-postback = Tapped “{ $title }” (payload { $payload })
event-postback-referral = Tapped “{ $title }” (payload { $payload }), arriving from { $source }, ref { $ref }
event-referral = Opened the conversation from { $source }, ref { $ref }
event-plugin-optin = Opted in through a plugin (ref { $ref })
event-one-time-optin = Agreed to one later message about “{ $topic }”
event-notifications-stopped = Stopped notifications about “{ $topic }”
event-notifications-subscribed = Subscribed to { $frequency } notifications about “{ $topic }”
event-reaction = Reacted { $emoji } to a message
event-unreact = Took a reaction back
event-comment = Commented on a post: “{ $text }”
event-lead-form-complete = The customer finished a lead form; the conversation is back
event-lead-form-incomplete = The customer left a lead form unfinished; the conversation is back
event-handed-over = The conversation was handed over by { $app }
event-taken-over = { $app } took over the conversation
frequency-daily = daily
frequency-weekly = weekly
frequency-monthly = monthly
frequency-recurring = recurring
event-asks-for-thread = { $app } asks for the conversation

## Dates and durations
when-yesterday = yesterday { $time }
when-tomorrow = tomorrow { $time }
when-weekday = { $day } { $time }
weekday-1 = Monday
weekday-2 = Tuesday
weekday-3 = Wednesday
weekday-4 = Thursday
weekday-5 = Friday
weekday-6 = Saturday
weekday-7 = Sunday
month-1 = Jan
month-2 = Feb
month-3 = Mar
month-4 = Apr
month-5 = May
month-6 = Jun
month-7 = Jul
month-8 = Aug
month-9 = Sep
month-10 = Oct
month-11 = Nov
month-12 = Dec
date-day-month = { $day } { $month }
date-full = { $day } { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
} { $year }
date-time = { $date } { $time }
duration-days-hours = { $d } d { $h } h
duration-hours-minutes = { $h } h { $m } min
duration-minutes = { $n } min
ago-now = just now
ago-minutes = { $n } min ago
ago-hours = { $n } h ago
ago-days = { $n ->
    [one] 1 day ago
   *[other] { $n } days ago
}

# Settings → Automations
settings-automations-hint = Instant reply, away hours, keyword answers and the Messenger menu of each page.
automations-title = Automations
automations-applied = Version { $version } applied.
automations-instant-on = Instant reply: on.
automations-instant-off = Instant reply: off.
automations-away-open = Away hours ({ $zone }): open now, the instant reply answers.
automations-away-closed = Away hours ({ $zone }): closed now, the away message answers.
automations-away-off = Away hours: off.
automations-keywords = { $n ->
    [one] 1 keyword answer.
   *[other] { $n } keyword answers.
}
automations-profile = Messenger profile at Meta
automations-profile-none = nothing set yet.
automations-profile-pending = being sent to Meta.
automations-profile-synced = up to date (synced { $ago }).
automations-profile-error = Meta refused it { $ago }: { $error }
automations-problems = { $n ->
    [one] 1 problem: nothing was changed
   *[other] { $n } problems: nothing was changed
}
automations-line = line { $line }
automations-document = The document
automations-document-hint = YAML, as `fenestra automations export` prints it; docs/automations.md explains each key. Applying checks it whole: with any problem, nothing changes.
automations-apply = Check and apply
automations-versions = History
automations-version = Version { $version } by { $by }
automations-refused = The automations document was refused: { $problems }

# Settings → a page
settings-pages = Pages
page-settings-title = Page settings
page-settings-id = Page { $id }
page-settings-token-yes = Fenestra holds its access token
page-settings-token-no = no access token: add it with fenestra page add
page-settings-paused = sends paused: { $why }
page-settings-human-agent = Meta granted the Human Agent permission (agents may answer with HUMAN_AGENT for 7 days)
page-settings-utility = Meta granted utility messaging (approved utility templates may go out any time)
page-settings-default-app = Fenestra is the Page's default app for Conversation Routing
page-settings-domains = Domains whose links are not promotional
page-settings-domains-hint = One per line, such as shop.example.com: your shop, your booking site.
forbidden-page-settings = Only an admin may change a page's settings.
invalid-domain = “{ $domain }” is not a domain name such as shop.example.com.

# Settings → Users
users-title = Users
users-name = Name
users-role = Role
users-state = State
users-admin = Admin
users-agent = Agent
users-active = active
users-disabled = disabled
users-disable = Disable
users-enable = Enable
users-add = Add a user
users-first-password = First password
users-first-password-hint = Give it to them in person; they change it in My account.
forbidden-users = Only an admin may add or disable users.
invalid-username = “{ $name }” cannot be a user name: 2 to 32 characters of a-z, 0-9, dot, dash or underscore.
invalid-username-taken = A user named “{ $name }” exists already.
invalid-disable-self = You cannot disable yourself: another admin can.

# Settings → Templates
templates-title = Templates
templates-hint = Utility templates approved by Meta reach a customer at any time with an order or booking update (since April 2026 in place of three message tags); no promotion.
templates-name = Name
templates-language = Language
templates-status = Review
templates-body = Text
templates-body-hint = Hi {"{{first_name}}"}, your order {"{{order_id}}"} has shipped.
templates-sync = Refresh from Meta
templates-submit = Submit for review
templates-approved = approved
templates-pending = in review
templates-rejected = rejected
templates-paused = paused
forbidden-templates = Only an admin may submit templates.
invalid-template-name = “{ $name }” cannot be a template name: lower-case letters, digits and underscores.
invalid-template-body = A template needs a text.

# The admins' banner
alert-connection-lost = Page { $page } is not connected: Meta refused the webhook subscription or the page's token, so new messages may not arrive.
alert-connection-what = What to do
page-settings-reconnect = If Meta refuses the page's token, give Fenestra a new one (fenestra page add --id … --token …); Fenestra subscribes the page again by itself when Meta dropped it.

## Connecting a Page (Facebook Login)
connect-title = Connect a Page
connect-again = Connect again
connect-intro = Fenestra answers for your Facebook Page through your Meta app. Paste the webhook address in Meta's App Dashboard, log in with Facebook, choose the Pages.
connect-step-webhook = 1. In Meta's App Dashboard (Webhooks → Page), enter this callback URL and verify token. Fenestra subscribes them too when you connect.
connect-callback-url = Callback URL
connect-verify-token = Verify token
connect-step-login = 2. Log in with Facebook as a person who manages the Page, and allow what Fenestra asks for.
connect-login-business = Facebook Login for Business, configuration { $id }.
connect-login-manual = Facebook Login, asking for: { $scopes }.
connect-no-marketing = Paid marketing messages need Facebook Login for Business: set FENESTRA_LOGIN_CONFIG_ID.
connect-login-button = Continue with Facebook
connect-not-configured = Connecting a Page needs your Meta app's id and the address where Meta reaches Fenestra: start fenestra serve with --app-id (FENESTRA_APP_ID) and --public-url (FENESTRA_PUBLIC_URL). Until then, add a Page with fenestra page add.
connect-step-choose = 3. Choose the Pages Fenestra answers for.
connect-tasks = your tasks: { $tasks }
connect-choose-button = Connect the ticked Pages
connection-title = Connection
connection-token = Access token
connection-token-valid = The token works and does not expire on its own.
connection-token-expires = The token works until { $date }.
connection-token-invalid = Meta refuses the token: { $error }. Connect the Page again.
connection-permissions = Permissions: { $list }
connection-error = Meta could not be asked: { $error }
connection-subscription = Webhooks
connection-complete = Subscribed to every event Fenestra needs, at app level and at Page level.
connection-missing = These events do not reach Fenestra (not subscribed at both levels): { $fields }. Connect the Page again.
connection-arrival-yes = Webhooks from this Page arrive: the latest { $ago }.
connection-arrival-waiting = No webhook from this Page yet. Write to the Page from Messenger: this line updates by itself.
connection-features = What Meta granted the Page
connection-human-agent = Human Agent (a person answers up to 7 days later): { $review }
connection-utility = Utility messages from approved templates: { $review }
connection-marketing-yes = Paid marketing messages: allowed to this token.
connection-marketing-no = Paid marketing messages: not allowed to this token (they need Facebook Login for Business with ads_management and paid_marketing_messages).
connection-default-app-yes = Conversation Routing: Fenestra is the Page's default app, as Page settings say (Meta shows it in the Page's settings → Advanced messaging).
connection-default-app-no = Conversation Routing: another app is the Page's default, so Fenestra cannot write in threads nobody controls. Change it in the Page's settings at Meta (Advanced messaging), then here.
connect-review-approved = approved
connect-review-pending = under review
connect-review-refused = refused or limited
connect-review-unknown = not requested
invalid-no-managed-pages = This Facebook login manages no Page: log in as a person with a role on the Page.
invalid-login-refused = The Facebook login was cancelled or refused: { $why }
invalid-login-expired = This Facebook login is unknown or older than 15 minutes: start again.
invalid-login-not-configured = Connecting a Page needs FENESTRA_APP_ID (--app-id) and FENESTRA_PUBLIC_URL (--public-url).

## Bookings and leads
nav-bookings = Bookings
nav-leads = Leads
bookings-title = Bookings
bookings-page = Page
bookings-none = No appointments in the coming week.
bookings-no-setup = This Page offers no bookings yet: add a booking section (services, staff and hours) to its flows.
bookings-time = Time
bookings-customer = Customer
bookings-service = Service
bookings-with = With
bookings-reminder = Reminder
bookings-reminder-none = none
bookings-reminder-pending = to send
bookings-reminder-sent = sent
bookings-reminder-template = sent as a template
bookings-reminder-dropped = dropped: the appointment had begun
bookings-reminder-impossible = not sent: no compliant way (see the conversation)
bookings-cancelled = cancelled
bookings-cancel = Cancel
bookings-move = Move
bookings-when = When
bookings-moved = The appointment was moved.
bookings-full = That time does not fit: outside the hours, or already full.
leads-title = Leads
leads-hint = What flows and Meta's lead forms collected from each customer.
leads-csv = Download as CSV
leads-none = No leads yet.
leads-updated = Updated

## Flows
flows-title = Flows
flows-none = No flows yet: write them below, or apply examples/flows/salon.yaml.
flows-trigger = Starts on: { $trigger }
flows-steps = { $n ->
    [one] 1 step
   *[other] { $n } steps
}
flows-customers = { $n ->
    [one] 1 customer in it now
   *[other] { $n } customers in it now
}
flows-try = Try it
flows-try-inputs = What the customer writes, one message per line
flows-try-hint = Write a tap as [PAYLOAD]. Nothing is sent, nothing is kept; calls to your systems are not made.
flows-try-language = Customer's language
flows-try-run = Run
flows-try-customer = Customer:
flows-try-bot = Bot:
flows-try-retry = (Fenestra's own words: the answer did not fit, please answer again)
flows-try-slots = (the free times for { $service } are offered)
flows-try-saved = saved: { $field } = { $value }
flows-try-labels = labels: +{ $add } −{ $remove }
flows-try-handover = handed over to a person
flows-try-unbook = upcoming appointments cancelled
flows-try-not-called = { $url } is not called in a try: the error path runs
flows-try-end = end of the flow
flows-document-hint = The whole document, as fenestra flows export writes it; docs/flows.md explains each step.
flows-kind-send = send
flows-kind-ask = ask
flows-kind-branch = branch
flows-kind-labels = labels
flows-kind-wait = wait
flows-kind-handover = hand over
flows-kind-book = book
flows-kind-unbook = cancel booking
flows-kind-call = call
flows-kind-unknown = ?
flows-kind-else = else
flows-kind-error = on error
flows-decisions = Last 30 days: { $sent } messages sent, { $refused } refused by the policy.
flows-no-step = There is no step { $step } in this page's flows.
flows-edit-step = Edit a step:
flows-step-text = What it says
flows-step-text-default = In any other language (default)
flows-step-save = Save the answer in the field
flows-step-expect = The answer must be
flows-expect-text = any text
flows-expect-email = an e-mail address
flows-expect-phone = a phone number
flows-expect-number = a number
flows-expect-date = a date
flows-expect-choice = one of the choices
flows-step-choices = Choices
flows-step-choices-hint = One per line: value: title (the title the customer taps, the value saved).
flows-step-wait = Wait for (30m, 2h, 1d)
flows-step-labels-add = Add the labels (comma-separated)
flows-step-labels-remove = Remove the labels
flows-step-url = The address to call
flows-step-next = Then
flows-step-end = end the flow
flows-step-on-error = If it fails
flows-step-handover = hand over to a person
flows-step-kept = What this form does not show (buttons, cards, pictures, branch cases, saved fields of a call) stays as it is; edit it in the document.
flows-step-text-in = In { $language }

# Broadcasts, audiences, customer lists, marketing messages
nav-broadcasts = Broadcasts
forbidden-broadcasts = Only an admin may send broadcasts, change audiences or import customer lists.
broadcast-unknown = Broadcast { $id } does not exist.
broadcast-wrong-state = This broadcast is { $status }: that cannot be done now.
broadcast-campaign-refused = Meta refused the campaign for the paid marketing messages: { $detail }
broadcast-invalid = Please check: { $detail }
audience-name-needed = Give the audience a name (up to 80 characters).
list-unreadable = The list cannot be read: { $detail }
broadcasts-title = Broadcasts
broadcasts-new = New broadcast
audiences-title = Audiences
broadcasts-intro = Each customer is reached only by a path Meta allows for them: inside the 24-hour window, an approved utility template, a notification token, or a paid marketing message. Everyone else is skipped, with the reason.
broadcasts-name = Name
broadcasts-status = Status
broadcasts-progress = Progress
broadcasts-sent = Sent
broadcasts-skipped = Skipped
broadcasts-none = No broadcast yet.
broadcast-status-scheduled = Scheduled
broadcast-status-sending = Sending
broadcast-status-paused = Paused
broadcast-status-done = Done
broadcast-status-cancelled = Cancelled
broadcast-paused-manual = paused by a person
broadcast-paused-late = it was due more than an hour ago (Fenestra was not running): confirm to send it now
broadcast-paused-policy_enforcement = Meta sent a policy enforcement notice for the Page
broadcast-paused-page_restricted = Meta restricted the Page from sending
broadcast-paused-block_rate = too many customers blocked the Page
broadcast-paused-error_rate = too many sends failed
broadcast-paused-budget = the marketing budget is spent; it resumes when Meta allows
broadcast-paused-marketing_setup = the paid marketing setup needs fixing (ad account, terms, payment)
marketing-title = Paid marketing messages
marketing-intro = Meta's Marketing Message API reaches subscribers outside the 24-hour window, paid per delivered message (Vietnam, Malaysia and 18 other business regions; not to people in the EU, the UK, Japan, South Korea or Australia).
marketing-saved = Saved.
marketing-ad-account = Ad account (act_…)
marketing-business-token = Business token (empty: the Page token)
marketing-daily-budget = Daily budget (minor units)
marketing-block-rate = Pause a broadcast above this block rate (%)
marketing-error-rate = Pause a broadcast above this error rate (%)
marketing-default-country = Country of phone numbers without a code
marketing-save = Save
broadcast-text = Message
broadcast-text-hint = Hi {"{{"}first_name{"}}"}, …
broadcast-languages = The message in other languages
broadcast-image = Image (https address)
broadcast-who = Who
broadcast-everyone = Every contact of the Page
broadcast-segment = These conditions:
broadcast-utility = Outside the window, an approved utility template
broadcast-utility-none = None
broadcast-utility-params = Template parameters (name=value per line)
broadcast-when = When
broadcast-now = Now
broadcast-at = At a time
broadcast-local = At the same hour in each customer's time zone
broadcast-at-time = Date and time
broadcast-local-hour = Local hour
broadcast-window = Only between 8:00 and 21:00 in the customer's day
broadcast-plan = Plan
segment-labels-any = With any of these labels
segment-labels-none = Without these labels
segment-active-within = Active within (days)
segment-inactive-for = Inactive for at least (days)
segment-languages = Languages
segment-countries = Countries
segment-source = Came through (ref or ad)
segment-field = Field given
segment-marketing = Subscribed to marketing messages
segment-booking = Has an appointment to come
segment-any = Any
segment-yes = Yes
segment-no = No
plan-title = The plan
plan-recipients = { $n ->
    [one] { $n } recipient
   *[other] { $n } recipients
}
plan-promotional = promotional content: outside the window only paid marketing messages may carry it
plan-path = Path
plan-count = Customers
plan-path-update = Inside the 24-hour window
plan-path-utility = Utility template
plan-path-notification = Recurring notification
plan-path-one_time = One-time notification
plan-path-marketing = Paid marketing message
plan-path-skipped = Skipped
plan-skipped = Skipped, and why
plan-estimate = Meta's estimate for the paid part (deliveries · cost)
plan-samples = Five customers and their verdicts
plan-send = Send as planned
broadcast-pause = Pause
broadcast-resume = Resume
broadcast-cancel = Cancel
result-planned = Waiting
result-queued = Queued
result-sent = Sent
result-delivered = Delivered
result-read = Read
result-replied = Replied
result-blocked = Blocked the Page
result-failed = Failed
result-refused = Refused as they left (rules changed)
result-skipped = Skipped
broadcast-reasons = Why customers were skipped or refused
broadcast-skipped-csv = Skipped list (CSV)
broadcast-results-csv = All results (CSV)
audiences-contacts = { $n ->
    [one] { $n } contact
   *[other] { $n } contacts
}
audience-name = Name
audience-count = Contacts now
audience-delete = Delete
audiences-none = No saved audience yet.
audience-new = New audience
audience-save = Save the audience
list-intro = A CSV with phone and/or email and a consent column. People who gave Fenestra the same number or address are labelled; nobody is messaged by phone number. The others can go to Meta's ads tools as a hashed file.
list-name = List name
list-file = CSV file
list-import = Import
list-rows = { $n ->
    [one] { $n } row
   *[other] { $n } rows
}
list-without-consent = { $n } without consent (dropped)
list-matched = { $n } matched
list-unmatched = { $n } not matched
list-labelled = Matched customers have the label { $label }.
list-invalid = Rows that could not be read
list-line = Line { $line }
list-hashed = Download the unmatched as a hashed file for Meta's ads tools
optin-ask = Ask to subscribe to offers
optin-hint = Meta's opt-in request, inside the 24-hour window only, once per title a week. Subscribers can then get paid marketing messages.
optin-title = Title
optin-title-placeholder = Weekly deals
optin-send = Send the request
optin-refused = The request cannot go now ({ $rule }).
optin-too-soon = A request titled “{ $title }” went to this customer less than a week ago.
optin-title-too-long = The title takes at most 65 characters.
customer-list-title = Import a customer list

# Comments inbox and links (entry points).
nav-comments = Comments
nav-links = Links & QR
comments-title = Comments on the Page's posts
comments-post = Post
comments-all-posts = All posts
comments-unanswered = Unanswered
comments-with-private-reply = Answered privately
comments-filter = Show
comments-open-post = Open on Facebook
comments-by-page = The Page
comments-open-conversation = Open the conversation
comments-hidden = Hidden
comments-removed = Deleted
comments-edited = Edited
comments-replied = Answered publicly
comments-private-sent = Private reply sent
comments-public-placeholder = Answer under the comment…
comments-reply-public = Reply publicly
comments-private-placeholder = Message in Messenger…
comments-reply-private = Send private reply
comments-private-closed = A private reply is possible only within 7 days of the comment.
comments-hide = Hide
comments-unhide = Show again
comments-delete = Delete
comments-delete-confirm = Delete this comment on Facebook? It cannot be undone.
comments-none = No comments yet. They appear here as customers write them under the Page's posts.
comments-done = Sent to Facebook.
comments-unknown-action = That is not something Fenestra can do to a comment.
links-title = Links, QR codes and where customers come from
links-hint = An m.me link with a ref counts everyone who arrives through it. Print its QR code for the till.
links-period = Period
links-days = { $n ->
    [one] last day
   *[other] last { $n } days
}
links-get-started-missing = The Page has no Get Started button: Meta opens an m.me link for a new customer only through it.
links-open-automations = Set it in the automations
links-saved = Link { $ref } saved.
links-new = Make a link
links-ref = Ref
links-ref-hint = Letters, digits, - _ = only: Meta drops anything else.
links-name = Name
links-prefill = Text in the customer's composer
links-label = Label for who arrives
links-kind = Kind
links-source-link = m.me link
links-source-ad = Ad
links-kind-signed = Signed links (receipts)
links-save = Save
links-entry-points = Your links
links-none = No link yet.
links-code = QR code
links-new-conversations = New conversations
links-arrivals = Latest arrivals
links-leads = Leads
links-bookings = Bookings
links-broadcast-replies = Answered a broadcast
links-link = Link
links-card-language = Card language
links-card = Card
links-delete = Remove
links-delete-confirm = Remove this link? Printed codes keep working; arrivals are then counted as an unknown ref.
links-other-sources = Other ways in
links-no-sources = No customer in this period.
links-source = Source
links-source-comment = Comment
links-source-get-started = Get Started
links-source-organic = Wrote on their own
links-signed-title = Signed links for receipts
links-signed-hint = The link carries an order or customer number, signed: when the customer writes, the conversation shows it. A changed link is never trusted.
links-signed-entry = Counts under
links-signed-subject = What it carries
links-signed-order = Order
links-signed-customer = Customer
links-signed-id = Number
links-signed-make = Make the link
links-unknown = There is no link { $ref }.
links-invalid = { $field }: { $problem }
forbidden-entry-points = Only an admin may make or remove links, QR codes and signed links.

# The thread: how the customer arrived, their comments.
profile-latest-arrival = Latest arrival
profile-comments = Their comments

# Analytics: responsiveness.
nav-analytics = Analytics
analytics-title = How fast and how often the team answers
analytics-from = From
analytics-to = To
analytics-show = Show
analytics-team = The team
analytics-response-rate = Response rate
analytics-median = Median response time
analytics-p90 = 90 % answered within
analytics-requests = Answered / asked
analytics-before = Previous period:
analytics-team-hint = A customer's message nobody answered yet counts once; the Page's first answer within 24 hours closes it. Instant replies and away messages are not answers.
analytics-updating = Some conversations are still being counted (after a rebuild or a burst of messages): these figures will grow for a few minutes.
analytics-badge = Meta's “very responsive” badge (estimate)
analytics-badge-met = The criteria are met.
analytics-badge-unmet = The criteria are not met.
analytics-badge-rate = Response rate at least 90 %
analytics-badge-time = Response time at most 15 minutes
analytics-badge-more = { $n ->
    [one] Answer 1 more conversation within 15 minutes to reach 90 %.
   *[other] Answer { $n } more conversations within 15 minutes to reach 90 %.
}
analytics-badge-faster = Answer faster: the fastest 90 % of answers must average 15 minutes or less.
analytics-badge-uncertain = Meta's rules for the badge come from its Help Center as others relay it: whether it looks at 7 or 30 days, and how threads marked spam or done are left out, are not published. Fenestra's bot answers count; away hours pause the clock.
analytics-by-day = Day by day
analytics-day = Day
analytics-none = No customer wrote in this period.
analytics-by-agent = By agent
analytics-agent = Agent
analytics-answered = Answered
analytics-no-agents = No agent answered in Fenestra in this period.
analytics-median-minutes = Median (minutes)
analytics-seconds = { $n } s
analytics-minutes = { $n } min
analytics-hours = { $n } h

# Analytics: volume, audience, compliance.
analytics-volume = Volume
analytics-messages-in = Messages from customers
analytics-messages-out = Messages from the Page
analytics-new = New customers
analytics-returning = Returning customers
analytics-opted-out = Opted out
analytics-heat = When customers write
analytics-audience = Who writes
analytics-compliance = What the policy decided
analytics-allowed = Allowed
analytics-refused = Refused before Meta
analytics-warned = With warnings
analytics-count = Count
analytics-ratings = Ratings from the closing survey

# Analytics: outcomes.
analytics-outcomes = What messages led to
analytics-no-outcomes = No broadcast started and no flow ran in this period.
analytics-planned = Planned
analytics-sent = Sent
analytics-delivered = Delivered
analytics-read = Read
analytics-replied = Replied
analytics-flow = Flow
analytics-started = Started
analytics-finished = Finished

# Analytics: Meta Page insights.
analytics-insights = Blocks and reports (Meta's insights)
analytics-no-insights = Nothing fetched from Meta yet: Fenestra asks every hour (it needs the read_insights permission).
analytics-metric = Metric
analytics-metric-blocked-conversations-unique = Conversations blocked
analytics-metric-reported-conversations-unique = Conversations reported
analytics-metric-new-conversations-unique = New conversations (Meta)
analytics-metric-total-messaging-connections = People the Page can message
