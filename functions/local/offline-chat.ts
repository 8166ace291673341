/**
 * The offline chat: a person types as a Telegram user in the terminal; every line becomes a
 * real Update from the Bot API stand-in, delivered to the same webhook handler as on AWS, and
 * what the bot sent back is printed with numbered buttons. Piped input works line by line and
 * the chat ends at end of input.
 *
 *   text or /command   a message        N        press button N of the last output
 *   @words             an inline query  /quit    leave (or Ctrl-D)
 *   /as <name>         become another simulated reader, in their own chat (try sharing with them)
 *   /as group <name>   talk in a group you created (commands as `/latest@Bot`; you are its owner)
 *   /as channel <name> make the bot the administrator of a channel of yours; its posts are shown
 *   /as me             back to your private chat
 */
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { parseTelegramHtml } from './telegram-html';
import type { BotApiStandIn, InlineKeyboardButton, SimulatedUser, StoredMessage } from './telegram-stand-in';
import { renderRichMessage, renderTextMessage } from './terminal-render';

type Choice =
  | { kind: 'callback'; messageId: number; data: string }
  | { kind: 'deeplink'; payload: string }
  | { kind: 'url'; url: string }
  | { kind: 'inline'; query: string }
  | {
      kind: 'result';
      resultId: string;
      query: string;
      text: string;
      buttons: InlineKeyboardButton[][];
    };

export interface OfflineChatOptions {
  standIn: BotApiStandIn;
  user: SimulatedUser;
  /** Makes the simulated reader `/as <name>` switches to (`id` is a new user id); absent: no /as. */
  userNamed?: (name: string, id: number) => SimulatedUser;
  botUsername: string;
  input: Readable;
  output: Writable;
  /** Echo typed lines (useful when input is piped, so the transcript reads like a chat). */
  echo: boolean;
}

const BOLD = (s: string, tty: boolean) => (tty ? `\x1b[1m${s}\x1b[22m` : s);

/** Group and channel ids the offline person creates, from the top of the supergroup range down. */
const FIRST_OFFLINE_CHAT = -1_009_999_000_000;

/** Runs the chat until end of input or /quit. */
export async function runOfflineChat(opts: OfflineChatOptions): Promise<void> {
  const { standIn, output } = opts;
  /** The reader the person is (another one after `/as <name>`), and the chat they talk in. */
  let me = opts.user;
  let user = me;
  const readers = new Map<string, SimulatedUser>([[me.user.first_name.toLowerCase(), me]]);
  /** The groups and channels made with /as, by owner and name. */
  const made = new Map<string, { user: SimulatedUser | undefined; chatId: number }>();
  const channelIds = new Set<number>();
  const tty = Boolean((output as { isTTY?: boolean }).isTTY);
  const write = (s: string) => output.write(`${s}\n`);
  let choices: Choice[] = [];

  const deepLinkPrefix = `https://t.me/${opts.botUsername}?start=`;
  const buttonChoice = (messageId: number, b: InlineKeyboardButton): Choice | undefined => {
    if (b.callback_data !== undefined) return { kind: 'callback', messageId, data: b.callback_data };
    if (b.url?.startsWith(deepLinkPrefix))
      return { kind: 'deeplink', payload: b.url.slice(deepLinkPrefix.length) };
    if (b.url) return { kind: 'url', url: b.url };
    const chosen = b.switch_inline_query_chosen_chat as { query?: string } | undefined;
    if (chosen) return { kind: 'inline', query: chosen.query ?? '' };
    if (b.switch_inline_query !== undefined) return { kind: 'inline', query: b.switch_inline_query };
    return undefined;
  };

  const printMessage = (m: StoredMessage, edited: boolean) => {
    write('');
    write(BOLD(edited ? '🤖 Herald (edited):' : '🤖 Herald:', tty));
    write(
      m.rich_message !== undefined
        ? renderRichMessage(m.rich_message, { tty })
        : renderTextMessage(m.text, m.entities, { tty }),
    );
    for (const row of m.reply_markup?.inline_keyboard ?? []) {
      const cells: string[] = [];
      for (const b of row) {
        const c = buttonChoice(m.message_id, b);
        if (!c) continue;
        choices.push(c);
        cells.push(`[${choices.length}] ${b.text}`);
      }
      if (cells.length > 0) write(`   ${cells.join('   ')}`);
    }
  };

  /** Prints what the bot did since call index `from`. */
  const printSince = (from: number, quiet = false) => {
    const newChoices: Choice[] = [];
    const previous = choices;
    choices = newChoices;
    let printed = false;
    // A toast alone leaves the last message's buttons as they were: keep them pressable.
    let drew = false;
    for (const call of standIn.calls.slice(from)) {
      if (!call.ok) {
        write(`⚠️  ${call.method} failed: ${call.description ?? call.errorCode}`);
        printed = true;
        continue;
      }
      const p = call.params as { chat_id?: number; message_id?: number; text?: string; results?: unknown[] };
      if (
        call.method === 'sendMessage' ||
        call.method === 'sendRichMessage' ||
        call.method === 'editMessageText' ||
        call.method === 'editMessageReplyMarkup'
      ) {
        const result = call.result as { message_id?: number } | true | undefined;
        const id = typeof result === 'object' ? result.message_id : p.message_id;
        const target = Number(p.chat_id);
        const inChannel = channelIds.has(target);
        // Your private chat while you talk in a group: Telegram would show it too.
        const inPrivate = user !== me && target === me.chat.id;
        const chatId = inChannel || inPrivate ? target : user.chat.id;
        // Another reader's chat (after /as <name>) is not this one's to show.
        const m = standIn.messages(chatId).find((x) => x.message_id === id);
        if (m && inChannel) write(BOLD(`\n📣 In your channel (${chatId}):`, tty));
        if (m && inPrivate) write(BOLD('\n💬 In your private chat:', tty));
        if (m) {
          printMessage(m, call.method.startsWith('edit'));
          drew = true;
        }
        printed = printed || m !== undefined || !(inChannel || inPrivate);
      } else if (call.method === 'answerCallbackQuery' && p.text) {
        write(`   💬 ${p.text}`);
        printed = true;
      } else if (call.method === 'answerInlineQuery') {
        const results = (p.results ?? []) as {
          id: string;
          title?: string;
          input_message_content?: { message_text?: string };
          reply_markup?: { inline_keyboard?: InlineKeyboardButton[][] };
        }[];
        write('');
        write(BOLD(`🔎 Inline results (${results.length}) — pick one to send it to a chat:`, tty));
        const answer = standIn.lastInlineAnswer();
        for (const r of results) {
          choices.push({
            kind: 'result',
            resultId: r.id,
            query: answer?.query ?? '',
            text: r.input_message_content?.message_text ?? '',
            buttons: r.reply_markup?.inline_keyboard ?? [],
          });
          write(`   [${choices.length}] ${r.title ?? r.id}`);
        }
        printed = true;
        drew = true;
      }
    }
    if (!drew) choices = previous;
    if (!printed && !quiet) write('   (no reply)');
  };

  /** Calls already shown; anything after it (a reply, or an alert that arrived on its own) is new. */
  let shown = standIn.calls.length;
  /** `/as group|channel <name>` and `/as me`: where the person talks, or a channel they own. */
  const switchTo = async (kind: string, name: string): Promise<void> => {
    if (kind === 'me') {
      user = me;
      write('You are back in your private chat with the bot.');
      return;
    }
    if ((kind !== 'group' && kind !== 'channel') || name === '') {
      write('Use /as <name>, /as group <name>, /as channel <name> or /as me.');
      return;
    }
    const key = `${me.user.id}:${kind}:${name}`;
    let known = made.get(key);
    if (!known) {
      const chatId = FIRST_OFFLINE_CHAT - made.size;
      standIn.createChat({ id: chatId, type: kind === 'group' ? 'supergroup' : 'channel', title: name });
      standIn.setMember(chatId, me.user.id, { status: 'creator' });
      const by = { id: me.user.id, first_name: me.user.first_name };
      if (kind === 'group') {
        await standIn.setBotMember(chatId, { status: 'member' }, by);
        known = { user: standIn.user(me.user, { id: chatId, type: 'supergroup', title: name }), chatId };
      } else {
        channelIds.add(chatId);
        await standIn.setBotMember(
          chatId,
          { status: 'administrator', can_post_messages: true, can_edit_messages: true },
          by,
        );
        known = { user: undefined, chatId };
      }
      made.set(key, known);
    }
    if (known.user) {
      user = known.user;
      write(
        `You are in the group “${name}” (${known.chatId}). Address commands to the bot: /latest@${opts.botUsername}`,
      );
    } else {
      write(
        `The bot is an administrator of your channel “${name}” (${known.chatId}); its posts there are shown here.`,
      );
    }
  };

  const act = async (line: string) => {
    const as = /^\/as\s+(group|channel|me)\b\s*(.*)$/i.exec(line);
    if (as) {
      const from = standIn.calls.length;
      await switchTo((as[1] ?? '').toLowerCase(), (as[2] ?? '').trim());
      shown = standIn.calls.length;
      printSince(from, true);
      return;
    }
    const from = shown;
    const n = /^#?(\d{1,3})$/.exec(line);
    if (n) {
      const choice = choices[Number(n[1]) - 1];
      if (!choice)
        return void write(
          `   There is no button ${n[1]}.${choices.length === 1 ? ' The only one is 1.' : choices.length > 1 ? ` Pick 1–${choices.length}.` : ''}`,
        );
      switch (choice.kind) {
        case 'callback':
          await user.press(choice.messageId, choice.data);
          break;
        case 'deeplink':
          write(`   (opening the link: /start ${choice.payload})`);
          await user.send(`/start ${choice.payload}`);
          break;
        case 'url':
          return void write(`   🔗 ${choice.url} (opens in a browser)`);
        case 'inline':
          await user.inlineQuery(choice.query);
          break;
        case 'result':
          await user.chooseInlineResult(choice.resultId, choice.query);
          write('');
          write(BOLD('📨 Sent to your friend’s chat:', tty));
          // The card is Telegram HTML: show its text as Telegram would.
          {
            const card = parseTelegramHtml(choice.text);
            write(renderTextMessage(card.text, card.entities, { tty }));
          }
          // Its buttons (links into the bot): pressable, e.g. as a friend after `/as <name>`.
          choices = [];
          for (const row of choice.buttons) {
            const cells: string[] = [];
            for (const b of row) {
              const c = buttonChoice(0, b);
              if (!c) continue;
              choices.push(c);
              cells.push(`[${choices.length}] ${b.text}`);
            }
            if (cells.length > 0) write(`   ${cells.join('   ')}`);
          }
          shown = standIn.calls.length;
          return;
      }
    } else if (/^\/as(?:\s|$)/.test(line)) {
      const name = line.slice(3).trim();
      if (!opts.userNamed || !/^\p{L}[\p{L}\d _-]{0,31}$/u.test(name))
        return void write('   Usage: /as <name> — become another reader, e.g. /as Bea');
      const key = name.toLowerCase();
      const next = readers.get(key) ?? opts.userNamed(name, 4242 + readers.size);
      readers.set(key, next);
      me = next;
      user = next;
      // Links stay pressable (open a friend's share as them); the last chat's buttons do not.
      choices = choices.filter((c) => c.kind === 'deeplink' || c.kind === 'url');
      return void write(
        `   You are now ${user.user.first_name} (user id ${user.user.id}), in your own chat.`,
      );
    } else if (line.startsWith('@')) {
      // "@words" or "@BotName words": both are an inline query for "words".
      let query = line.slice(1);
      if (query.toLowerCase().startsWith(opts.botUsername.toLowerCase()))
        query = query.slice(opts.botUsername.length);
      await user.inlineQuery(query.trim());
    } else {
      await user.send(line);
    }
    shown = standIn.calls.length;
    printSince(from);
  };

  // Alerts (a publish through the local admin API) arrive without a keystroke: show them too.
  let busy = false;
  const watcher = setInterval(() => {
    if (busy || standIn.calls.length === shown) return;
    const from = shown;
    shown = standIn.calls.length;
    printSince(from, true);
  }, 500);
  watcher.unref();

  write(
    `You are ${user.user.first_name} (user id ${user.user.id}: put it in ADMIN_IDS for the admin commands) in a private chat with @${opts.botUsername}. Type /start to begin.`,
  );
  write(
    `Press a button by typing its number. "@words" is an inline query.${opts.userNamed ? ' /as <name> becomes another reader.' : ''} /quit or Ctrl-D leaves.`,
  );
  write('/as group <name> talks in a group, /as channel <name> gives the bot a channel, /as me comes back.');
  const rl = createInterface({ input: opts.input, terminal: false });
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '') continue;
    if (line === '/quit' || line === '/exit') break;
    if (opts.echo) write(`\n🧑 ${line}`);
    busy = true;
    try {
      await act(line);
    } catch (err) {
      write(`⚠️  ${(err as Error).message}`);
    } finally {
      busy = false;
    }
  }
  clearInterval(watcher);
  rl.close();
}
