# Herald — English (the source and fallback catalogue).
#
# Conventions (docs/i18n.md has the full guide):
# - Every message is whole: translate the sentence, move the { $variables } wherever your
#   language puts them. Never split a message or join two.
# - Messages are Telegram HTML unless their key contains "-button-" or ends in "-toast",
#   "-placeholder" or "-description": those are plain text and must contain no tags or &entities;.
# - Keep the HTML tags of the English message (<b>, <i>, <a href="…">), balanced, and keep
#   /commands, emoji and { $variables } as they are.
# - Counts select plural forms by CLDR category: [zero] [one] [two] [few] [many] *[other] —
#   use the ones your language has. [0] matches exactly zero where a language wants to say
#   "none" differently.

## Shared

common-button-out-of-date-toast = This button is out of date. Send /latest to start again.
common-error-toast = Sorry, something went wrong. Please try again.
common-error = Sorry, something went wrong. Please try again in a moment.
# The middle button of ◀ ▶ paging: the current page number.
common-button-page = · { $page } ·
# A button that opens an article; $title is shortened to fit.
common-button-article = 📄 { $title }
# A button that opens an author's profile.
common-button-author = 👤 { $name }

## /start, /help and unknown commands

start-welcome =
    👋 Welcome, { $name }!

    I bring you summaries of our latest articles, let you follow your favourite authors and tell you when they publish, and help you share articles with friends.

    Try /latest or /authors — or /help for everything I can do.
start-button-latest = 📰 Latest articles
start-button-authors = ✍️ Authors
start-share-link-invalid = 🤷 That shared link is not valid (any more). Here is what is new instead:
start-link-invalid = 🤷 That link does not lead anywhere I know. Here is what is new instead:
start-unknown-command = I don’t know that command. /help lists what I can do.
help-text =
    <b>Herald</b> brings our articles to Telegram.

    /latest — the latest articles
    /authors — all authors
    /author &lt;handle&gt; — an author’s profile
    /search &lt;words&gt; — find articles by words in the title
    /subscribe &lt;handle&gt; — get an alert when an author publishes
    /unsubscribe &lt;handle&gt; — stop those alerts
    /subscriptions — the authors you follow
    /settings — instant alerts or digests, time zone, quiet hours
    /tag &lt;topic&gt; — follow a topic (send again to stop)
    /tags — the most followed topics
    /shared — what you shared and how many friends opened it
    /language — choose the language I speak
    /privacy — what I store about you, and /forget_me to erase it
    /cancel — stop writing a comment
    /help — this list

    You can also type words to search titles, or use me inline in any chat: type @ and my name, then words.

## Command menu (setMyCommands; plain text, at most 256 characters)

commands-start-description = Welcome and what this bot does
commands-help-description = List the commands
commands-latest-description = Latest articles, newest first
commands-authors-description = Browse the authors
commands-author-description = An author’s profile, e.g. /author jdoe
commands-search-description = Find articles by words in the title
commands-subscriptions-description = Authors you follow
commands-settings-description = Instant alerts or digests, time zone, quiet hours
commands-tag-description = Follow a topic, e.g. /tag climate
commands-tags-description = The most followed topics
commands-shared-description = What you shared and how many friends opened it
commands-language-description = Choose the language I speak
commands-privacy-description = What Herald stores about you, and how to erase it

## /language

language-prompt = Choose the language I speak:
# Sent in the newly chosen language.
language-changed = Done: I speak English now.
language-changed-toast = Language: English

## Articles: the card, the full text, the latest list

# The line under the title. $handle includes the @.
articles-card-byline = by { $author } ({ $handle }) · { $date }
articles-card-byline-reading =
    by { $author } ({ $handle }) · { $date } · { $minutes ->
        [one] { $minutes } min read
       *[other] { $minutes } min read
    }
articles-card-counters =
    👁 Views: { $views } · { $replies ->
        [0] 💬 No comments yet
       *[other] 💬 Replies: { $replies }
    }
articles-button-read-full = 📖 Read the full article
articles-button-share = 📤 Share with a friend
articles-button-comments =
    { $count ->
        [0] 💬 Comments
       *[other] 💬 Comments ({ $count })
    }
articles-full-page-footer = <i>Page { $page } of { $pages }</i>
articles-button-back-to-card = ↩️ Back to the card
articles-latest-title =
    { $page ->
        [1] <b>📰 Latest articles</b>
       *[other] <b>📰 Latest articles</b> · page { $page }
    }
articles-latest-empty = Nothing published yet.
articles-list-no-more = No more articles.
# One line of an article list: $n is its number in the list.
articles-list-item = { $n }. <b>{ $title }</b> — { $author } · { $date }
# The same line in a list of one author's articles (no author name).
articles-list-item-no-author = { $n }. <b>{ $title }</b> · { $date }
articles-list-button = { $n }. { $title }
articles-unavailable-toast = This article is no longer available.
articles-not-found = 🤷 That article could not be found. Here is what is new instead:
articles-page-gone-toast = That page is gone; the article has changed.

## Authors: profile, list, an author's articles

articles-by-author-title =
    { $page ->
        [1] <b>Articles by { $author }</b>
       *[other] <b>Articles by { $author }</b> · page { $page }
    }
articles-by-author-empty = No articles yet.
authors-profile-heading = <b>{ $name }</b> ({ $handle })
authors-profile-since = User since: { $date }
authors-profile-counters = Voices: { $articles } · Subscribers: { $subscribers }
# The author's site: $url is the link target, $label the shortened address shown.
authors-profile-site = <a href="{ $url }">{ $label }</a>
authors-profile-latest = <b>Latest articles</b>
authors-profile-no-articles = <i>No articles yet.</i>
authors-button-all-articles = 📚 All articles
authors-button-subscribe = 🔔 Subscribe
authors-button-unsubscribe = 🔕 Unsubscribe
authors-list-title =
    { $page ->
        [1] <b>✍️ Authors</b>
       *[other] <b>✍️ Authors</b> · page { $page }
    }
authors-list-empty =
    <b>Authors</b>

    No authors yet.
authors-list-item =
    <b>{ $name }</b> ({ $handle }) · { $count ->
        [one] { $count } voice
       *[other] { $count } voices
    }
authors-unavailable-toast = This author is no longer available.
# $handle includes the @.
authors-not-found = 🤷 I don’t know an author { $handle }. Here are the ones I know:
authors-handle-invalid = Author handles look like @jdoe (letters, digits and _). Try /authors to see them all.

## Search

search-results-title =
    { $page ->
        [1] <b>🔎 Titles with “{ $query }”</b>
       *[other] <b>🔎 Titles with “{ $query }”</b> · page { $page }
    }
search-results-empty = No article title matches. Try fewer or shorter words, or /latest.
search-usage = Usage: /search &lt;words&gt; — e.g. /search city bikes. Words match the start of title words, in any language.
search-too-fast = You are searching quickly — please wait a minute and try again.
search-too-short = Type at least two letters of a word: single letters and digits are not searched.

## Subscriptions

subscriptions-empty = You do not follow anyone yet. Open an author from /authors and press 🔔 Subscribe.
subscriptions-title = <b>🔔 Your subscriptions</b>
subscriptions-item = • { $name } ({ $handle })
subscriptions-footer = You get one alert when any of them publishes.
subscriptions-subscribe-usage = Usage: /subscribe &lt;handle&gt;, e.g. /subscribe jdoe. See /authors.
subscriptions-unsubscribe-usage = Usage: /unsubscribe &lt;handle&gt;. /subscriptions lists whom you follow.
subscriptions-unknown-author = I don’t know an author { $handle }. See /authors.
subscriptions-subscribed = 🔔 Subscribed to { $name }. You’ll get an alert when they publish.
subscriptions-subscribed-toast = 🔔 Subscribed to { $name }. You’ll get an alert when they publish.
subscriptions-already = You already follow { $name }.
subscriptions-already-toast = You already follow { $name }. /subscriptions to manage.
subscriptions-unsubscribed = 🔕 Unsubscribed from { $name }.
subscriptions-not-subscribed = You were not subscribed to { $handle }.
subscriptions-unsubscribed-toast = 🔕 Unsubscribed.
subscriptions-not-subscribed-toast = You were not subscribed.

## Comments

comments-title = 💬 <b>Comments on “{ $title }”</b>
comments-none = No replies/comments found for this voice. Be the first!
comments-no-more = No more comments.
# $time is the day and time (UTC) the comment was posted.
comments-item-heading = <b>{ $name }</b> · { $time } UTC
comments-button-post = ✍️ Post a comment
comments-button-article = ↩️ Article
comments-cancelled = Cancelled: no comment was posted.
comments-nothing-to-cancel = Nothing to cancel.
comments-length-invalid =
    A comment must be 1–{ $max } characters; yours has { $length ->
        [one] { $length } character
       *[other] { $length } characters
    }. Please send a shorter one, or /cancel.
comments-too-fast = You are commenting quickly — please wait a minute and send it again.
comments-article-gone = Sorry, that article is no longer available, so the comment was not posted.
comments-banned = Sorry, you can no longer post comments here.
comments-button-full = 📖 { $name } — { $start }
comments-gone-toast = That comment is no longer there.
comments-posted = ✅ Your comment is posted.
comments-button-see = 💬 See comments
comments-prompt = ✍️ Write your comment on “{ $title }” (1–{ $max } characters) and send it. /cancel to stop.
comments-input-placeholder = Your comment
comments-admin-only-toast = Only admins can delete comments.

## Sharing

share-heading = { $name } shared this with you
share-heading-anonymous = A friend shared this with you
# The card as posted into another chat (inline mode).
share-button-open-in-bot = 📖 Open in Herald
share-button-read-on-site = 🌐 Read on the site
# Under the title in the inline results list, for an article without a summary.
share-inline-description = by { $author }
# $url is the link target, $link the same link as shown.
share-message =
    📤 <b>Share “{ $title }”</b>

    Pick a chat to send the card to, share the link through Telegram, or copy this link and forward it:
    <a href="{ $url }">{ $link }</a>

    <i>{ $opens ->
        [0] Nobody has opened it yet.
        [one] { $opens } friend has opened it.
       *[other] { $opens } friends have opened it.
    } /shared shows all your shares.</i>
share-button-send-card = 📨 Send the card to a chat
share-button-share-link = 🔗 Share the link
shared-empty = You have not shared anything yet. Open an article and press 📤 Share with a friend.
shared-title = <b>📤 What you shared</b>
shared-item =
    • <b>{ $title }</b> — { $opens ->
        [0] nobody has opened it yet
        [one] { $opens } friend opened it
       *[other] { $opens } friends opened it
    }

## Alerts

# Above the article card in an alert.
alerts-heading = New from { $author }

## Digests (sent by the alert sender; the digest run of a slot)

# Heading of a daily digest; $count is how many articles it lists.
digest-heading-daily = 📰 <b>Your daily digest</b> · { $count ->
        [one] one new article
       *[other] { $count } new articles
    }
digest-heading-weekly = 📰 <b>Your weekly digest</b> · { $count ->
        [one] one new article
       *[other] { $count } new articles
    }
# Articles held back during the reader's quiet hours, sent when they end.
digest-heading-held = 🌙 <b>While your quiet hours were on</b> · { $count ->
        [one] one new article
       *[other] { $count } new articles
    }
# An author's name above their articles in a digest.
digest-author = ✍️ <b>{ $name }</b>
# One article in a digest: its number and title.
digest-item = { $n }. <b>{ $title }</b>
# The one-line summary under an article's title.
digest-summary = <i>{ $summary }</i>
# The button that opens an article's card from a digest; $title is shortened to fit.
digest-button-open = { $n }. { $title }
# Footer of a digest too long for one message.
digest-part = Part { $part } of { $parts }

## /settings and /tag (how news arrives)

settings-title = ⚙️ <b>How news reaches you</b>
settings-mode = <b>New follows:</b> { $mode } — how articles from an author or tag you follow next arrive.
settings-zone = <b>Time zone:</b> { $zone } — digests and quiet hours follow your local time.
settings-hour = <b>Digest time:</b> { $hour } — when your daily and weekly digests arrive.
settings-weekday = <b>Weekly digest:</b> { $day } — the day your weekly digest comes.
settings-quiet = <b>Quiet hours:</b> { $quiet } — alerts in this window come silently or wait until it ends.
settings-quiet-off = off
# Quiet hours that are on; the action is its own message (a selector on a text argument would see its isolation marks).
settings-quiet-window-silent = { $from }–{ $to }, sent silently
settings-quiet-window-hold = { $from }–{ $to }, held until they end
settings-zone-hint = Not your zone? Send /settings with a city or a UTC offset, e.g. /settings Asia/Karachi or /settings +05:30.
settings-zone-invalid = I don’t know the time zone “{ $zone }”. Try a city in the form Region/City (Europe/London, Asia/Karachi) or an offset like +05:30.
settings-follows = <b>What you follow</b> — tap one to switch it between ⚡ instant, 📰 daily and 🗓 weekly:
settings-saved-toast = Saved
settings-button-mode-instant = ⚡ Instant
settings-button-mode-daily = 📰 Daily
settings-button-mode-weekly = 🗓 Weekly
settings-button-quiet-off = 🔔 No quiet hours
settings-button-quiet-silent = 🔕 22–07 silent
settings-button-quiet-hold = 🌙 22–07 hold
tag-usage = Usage: /tag &lt;topic&gt; — e.g. /tag climate. Send it again to stop following.
tag-followed = 🏷 You now follow #{ $tag }. Articles with it arrive: { $mode } (change it in /settings).
tag-unfollowed = You no longer follow #{ $tag }.

## Delivery modes on lists, the time zone question, tags on cards and /tags

subscriptions-mode-legend = Tap ⚡ 📰 🗓 beside an author to switch between instant alerts, a daily and a weekly digest.
# Above the latest articles of an author just followed (one message, buttons open them).
subscriptions-latest = Latest from { $name }:
# $target is @handle or #tag; $mode a mode button's text (⚡ Instant…).
settings-follow-mode-toast = { $target }: { $mode }
settings-zone-ask =
    🕗 Digests arrive at { $hour } your time. Which time zone are you in?
    Not listed? Send /settings with a city or a UTC offset, e.g. /settings Asia/Karachi or /settings +05:30.
settings-zone-set = Time zone: { $zone }. Your digests arrive at { $hour } local time; change it any time in /settings.
articles-button-tags = 🏷 Tags
tags-article-title = 🏷 <b>Topics of “{ $title }”</b> — tap one to follow it, or again to stop.
tags-button-follow = ➕ #{ $tag }
tags-button-following = ✓ #{ $tag }
tag-followed-toast = Following #{ $tag }
tag-unfollowed-toast = No longer following #{ $tag }
tag-latest = Latest on #{ $tag }:
tags-title = 🏷 <b>Most followed topics</b>
tags-item = #{ $tag } — { $count ->
        [one] { $count } follower
       *[other] { $count } followers
    }
tags-footer = Tap a topic to follow it (✓ = you follow it; tap again to stop). Any other: /tag &lt;topic&gt;.
tags-empty = Nobody follows a topic yet. Follow one with an article’s 🏷 Tags button or with /tag &lt;topic&gt;.

## Channels: the card Herald posts in the publisher's channel (its buttons open the bot)

channels-button-read = 📖 Read the full article
channels-button-subscribe = 🔔 Subscribe to the author
channels-button-comments = 💬 Comments
# A channel post whose article was deleted, once it is too old for Telegram to delete.
channels-post-removed = 🗑 <i>The publisher removed this article.</i>

## Groups: a group (or one forum topic of it) follows authors; only the group's admins change that

groups-admins-only = Only this group’s admins can change which authors it follows.
groups-subscribe-usage = Usage: /subscribe@{ $bot } &lt;handle&gt; or #tag, e.g. /subscribe@{ $bot } jdoe or /subscribe@{ $bot } #climate. New articles by that author, or with that tag, are then posted here.
groups-unsubscribe-usage = Usage: /unsubscribe@{ $bot } &lt;handle&gt; or #tag.
groups-subscribed = 🔔 This group now follows { $name }: their new articles will be posted here.
groups-subscribed-topic = 🔔 This topic now follows { $name }: their new articles will be posted here.
groups-subscribed-tag = 🏷 This group now follows #{ $tag }: new articles with that tag will be posted here.
groups-subscribed-tag-topic = 🏷 This topic now follows #{ $tag }: new articles with that tag will be posted here.
groups-unsubscribed = 🔕 This group no longer follows { $handle }.
groups-not-subscribed = This group does not follow { $handle }.
groups-personal-command = 🔒 { $command } is personal: it shows and changes your own follows and settings, so it works in our private chat, not here.
groups-button-private-chat = 💬 Open the private chat

## /privacy and /forget_me (issue 17)

privacy-text =
    <b>🔒 Your data in Herald</b>

    Herald keeps only what it needs to work for you:
    • your Telegram id, name, username and language — to greet you and answer in your language;
    • your delivery settings: time zone, digest time and day, quiet hours — so news arrives when you want it;
    • the authors and tags you follow — to send you alerts and digests;
    • articles waiting for your next digest — until it goes out (at most 60 days);
    • your comments — to show them to other readers;
    • the links you share and which friends opened them — for “friends who opened” (each open is forgotten after 180 days);
    • records of alerts sent to you (30 to 60 days) and short-lived records: counters against abuse and your role in groups.

    /forget_me erases all of it at once, except records that expire on their own. Your comments are deleted, not kept anonymously.
privacy-policy-link = The publisher’s privacy policy: <a href="{ $url }">{ $label }</a>
privacy-no-policy = <i>This is all of it: the publisher has not linked a separate policy.</i>
forget-confirm =
    <b>Erase everything Herald stores about you?</b>
    Your subscriptions, comments, shares and settings will be deleted. This cannot be undone.
forget-button-yes = 🗑 Erase my data
forget-button-no = Keep it
forget-kept = Nothing was erased.
forget-done = ✅ Done: Herald no longer stores anything about you. Send /start to use it again.
forget-more = Still erasing — there is a lot. Press the button to go on.
forget-button-continue = Go on erasing

## /settings: a topic per author in this chat (Bot API 9.3 topics in private chats)
settings-topics = <b>Topics per author:</b> { $state } — each author you follow gets a topic of their own in this chat, with their alerts and digests.
settings-topics-on = on
settings-topics-off = off
settings-topics-refused = off — Telegram would not let me open topics in this chat, so news arrives here. Tap “A topic per author” to try again.
settings-button-topics-on = 🗂 A topic per author
settings-button-topics-off = 💬 Everything here
