// Drives the npm package `messaging-api-messenger` (a real third-party client) against the
// emulator through its `origin` option, and prints what it got back as one JSON line.
// Env: EMULATOR_URL, PSID.
const { MessengerClient } = require('messaging-api-messenger');

async function main() {
  const origin = process.env.EMULATOR_URL;
  const psid = process.env.PSID;
  const client = new MessengerClient({ accessToken: 'PAGE_TOKEN', origin, version: '26.0' });
  const out = {};
  out.text = await client.sendText(psid, 'Hello from messaging-api-messenger', { messagingType: 'RESPONSE' });
  out.quickReplies = await client.sendText(psid, 'Which size?', {
    messagingType: 'RESPONSE',
    quickReplies: [
      { contentType: 'text', title: 'S', payload: 'SIZE_S' },
      { contentType: 'text', title: 'M', payload: 'SIZE_M' },
    ],
  });
  out.template = await client.sendButtonTemplate(psid, 'Order #4521', [{ type: 'postback', title: 'Track it', payload: 'TRACK_4521' }], { messagingType: 'RESPONSE' });
  out.tagged = await client.sendText(psid, 'An agent will follow up.', { tag: 'HUMAN_AGENT' });
  const persona = await client.createPersona({ name: 'Linh (support)', profilePictureUrl: 'https://example.com/linh.png' });
  out.personaId = persona.id;
  out.persona = await client.sendText(psid, 'Linh here, happy to help.', { messagingType: 'RESPONSE', personaId: persona.id });
  await fetch(`${origin}/_emulator/clock/advance`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ seconds: 25 * 3600 }) });
  try {
    await client.sendText(psid, 'Still there?', { messagingType: 'RESPONSE' });
    out.outsideWindow = 'no error';
  } catch (e) {
    out.outsideWindow = { status: e.response && e.response.status, body: e.response && e.response.data, message: e.message };
  }
  console.log(JSON.stringify(out));
}

main().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
