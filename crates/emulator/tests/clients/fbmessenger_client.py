"""Drives the PyPI package `fbmessenger` (the client Rasa uses) against the emulator by
setting its graph_url, and prints what it got back as one JSON line.
Env: EMULATOR_URL, PSID."""
import json
import os

from fbmessenger import MessengerClient, elements, quick_replies

client = MessengerClient('PAGE_TOKEN', api_version='26.0')
client.graph_url = os.environ['EMULATOR_URL'] + '/v26.0'
psid = os.environ['PSID']

out = {}
out['text'] = client.send(elements.Text('Hello from fbmessenger').to_dict(), psid, 'RESPONSE')
qrs = quick_replies.QuickReplies([
    quick_replies.QuickReply(title='Yes', payload='CONFIRM_YES'),
    quick_replies.QuickReply(title='No', payload='CONFIRM_NO'),
])
out['quick_reply'] = client.send(elements.Text('Confirm the booking?', quick_replies=qrs).to_dict(), psid, 'RESPONSE')
out['unknown_user'] = client.send(elements.Text('Hello?').to_dict(), '42', 'RESPONSE')
out['profile'] = client.get_user_data(psid, fields='first_name,last_name')
print(json.dumps(out))
