# Herald — русский. Правила перевода — в начале en.ftl и в docs/i18n.md.
# Формы множественного числа: [one] 1, 21, 101… · [few] 2–4, 22–24… · [many] 0, 5–20, 25–30… · *[other] дроби.

## Shared

common-button-out-of-date-toast = Эта кнопка устарела. Отправьте /latest, чтобы начать заново.
common-error-toast = Что-то пошло не так. Попробуйте ещё раз.
common-error = Что-то пошло не так. Попробуйте ещё раз чуть позже.
common-button-page = · { $page } ·
common-button-article = 📄 { $title }
common-button-author = 👤 { $name }

## /start, /help and unknown commands

start-welcome =
    👋 Здравствуйте, { $name }!

    Я присылаю краткие пересказы наших свежих статей, помогаю следить за любимыми авторами и сообщаю, когда у них выходит новое, а ещё помогаю делиться статьями с друзьями.

    Начните с /latest или /authors, а /help покажет всё, что я умею.
start-button-latest = 📰 Свежие статьи
start-button-authors = ✍️ Авторы
start-share-link-invalid = 🤷 Эта ссылка больше не действует. Вот что есть нового:
start-link-invalid = 🤷 Эта ссылка никуда не ведёт. Вот что есть нового:
start-unknown-command = Такой команды я не знаю. /help покажет, что я умею.
help-text =
    <b>Herald</b> приносит наши статьи в Telegram.

    /latest — свежие статьи
    /authors — все авторы
    /author &lt;имя&gt; — профиль автора
    /search &lt;слова&gt; — поиск статей по словам в заголовке
    /subscribe &lt;имя&gt; — уведомлять о новых статьях автора
    /unsubscribe &lt;имя&gt; — больше не уведомлять
    /subscriptions — авторы, на которых вы подписаны
    /settings — сразу или подборкой, часовой пояс, тихие часы
    /tag &lt;тема&gt; — подписаться на тему (ещё раз — отписаться)
    /tags — самые популярные темы
    /shared — чем вы поделились и сколько друзей это открыли
    /language — выбрать язык
    /privacy — что я храню о вас, и /forget_me, чтобы это стереть
    /cancel — отменить комментарий
    /help — этот список

    А ещё можно просто написать слова — я найду их в заголовках — или позвать меня в любом чате: наберите @ и моё имя, а затем слова.

## Command menu (setMyCommands; plain text, at most 256 characters)

commands-start-description = Приветствие и что умеет бот
commands-help-description = Список команд
commands-latest-description = Свежие статьи, сначала новые
commands-authors-description = Все авторы
commands-author-description = Профиль автора, например /author jdoe
commands-search-description = Поиск статей по словам в заголовке
commands-subscriptions-description = Мои подписки
commands-settings-description = Сразу или подборкой, часовой пояс, тихие часы
commands-tag-description = Подписаться на тему, например /tag климат
commands-tags-description = Самые популярные темы
commands-shared-description = Чем я поделился и сколько друзей это открыли
commands-language-description = Выбрать язык
commands-privacy-description = Что Herald хранит о вас и как это стереть

## /language

language-prompt = Выберите язык:
language-changed = Готово: теперь я говорю по-русски.
language-changed-toast = Язык: русский

## Articles: the card, the full text, the latest list

articles-card-byline = { $author } ({ $handle }) · { $date }
articles-card-byline-reading =
    { $author } ({ $handle }) · { $date } · { $minutes ->
        [one] { $minutes } минута чтения
        [few] { $minutes } минуты чтения
        [many] { $minutes } минут чтения
       *[other] { $minutes } минуты чтения
    }
articles-card-counters =
    👁 Просмотры: { $views } · { $replies ->
        [0] 💬 Комментариев пока нет
       *[other] 💬 Комментарии: { $replies }
    }
articles-button-read-full = 📖 Читать статью целиком
articles-button-share = 📤 Поделиться с другом
articles-button-comments =
    { $count ->
        [0] 💬 Комментарии
       *[other] 💬 Комментарии ({ $count })
    }
articles-full-page-footer = <i>Страница { $page } из { $pages }</i>
articles-button-back-to-card = ↩️ К карточке статьи
articles-latest-title =
    { $page ->
        [1] <b>📰 Свежие статьи</b>
       *[other] <b>📰 Свежие статьи</b> · стр. { $page }
    }
articles-latest-empty = Пока ничего не опубликовано.
articles-list-no-more = Больше статей нет.
articles-list-item = { $n }. <b>{ $title }</b> — { $author } · { $date }
articles-list-item-no-author = { $n }. <b>{ $title }</b> · { $date }
articles-list-button = { $n }. { $title }
articles-unavailable-toast = Эта статья больше недоступна.
articles-not-found = 🤷 Такой статьи не нашлось. Вот что есть нового:
articles-page-gone-toast = Этой страницы уже нет: статья изменилась.

## Authors: profile, list, an author's articles

articles-by-author-title =
    { $page ->
        [1] <b>Статьи автора { $author }</b>
       *[other] <b>Статьи автора { $author }</b> · стр. { $page }
    }
articles-by-author-empty = Статей пока нет.
authors-profile-heading = <b>{ $name }</b> ({ $handle })
authors-profile-since = На сайте с { $date }
authors-profile-counters = Статей: { $articles } · Подписчиков: { $subscribers }
authors-profile-site = <a href="{ $url }">{ $label }</a>
authors-profile-latest = <b>Последние статьи</b>
authors-profile-no-articles = <i>Статей пока нет.</i>
authors-button-all-articles = 📚 Все статьи
authors-button-subscribe = 🔔 Подписаться
authors-button-unsubscribe = 🔕 Отписаться
authors-list-title =
    { $page ->
        [1] <b>✍️ Авторы</b>
       *[other] <b>✍️ Авторы</b> · стр. { $page }
    }
authors-list-empty =
    <b>Авторы</b>

    Авторов пока нет.
authors-list-item =
    <b>{ $name }</b> ({ $handle }) · { $count ->
        [one] { $count } статья
        [few] { $count } статьи
        [many] { $count } статей
       *[other] { $count } статьи
    }
authors-unavailable-toast = Этот автор больше недоступен.
authors-not-found = 🤷 Автора { $handle } я не знаю. Вот те, кого я знаю:
authors-handle-invalid = Имя автора выглядит как @jdoe (латинские буквы, цифры и _). Все авторы — в /authors.

## Search

search-results-title =
    { $page ->
        [1] <b>🔎 Заголовки со словами «{ $query }»</b>
       *[other] <b>🔎 Заголовки со словами «{ $query }»</b> · стр. { $page }
    }
search-results-empty = Ни один заголовок не подошёл. Попробуйте меньше слов или слова покороче — или загляните в /latest.
search-usage = Как искать: /search &lt;слова&gt;, например /search городские велосипеды. Я ищу слова, с которых начинаются слова заголовка, на любом языке.
search-too-fast = Вы ищете слишком часто — подождите минуту и попробуйте снова.
search-too-short = Введите хотя бы две буквы слова: отдельные буквы и цифры не ищутся.

## Subscriptions

subscriptions-empty = Вы пока ни на кого не подписаны. Откройте автора в /authors и нажмите 🔔 Подписаться.
subscriptions-title = <b>🔔 Ваши подписки</b>
subscriptions-item = • { $name } ({ $handle })
subscriptions-footer = Когда кто-то из них опубликует статью, вы получите одно уведомление.
subscriptions-subscribe-usage = Как подписаться: /subscribe &lt;имя&gt;, например /subscribe jdoe. Все авторы — в /authors.
subscriptions-unsubscribe-usage = Как отписаться: /unsubscribe &lt;имя&gt;. Ваши подписки — в /subscriptions.
subscriptions-unknown-author = Автора { $handle } я не знаю. Все авторы — в /authors.
subscriptions-subscribed = 🔔 Вы подписались на автора { $name }. Я сообщу, когда выйдет новая статья.
subscriptions-subscribed-toast = 🔔 Вы подписались на автора { $name }. Я сообщу, когда выйдет новая статья.
subscriptions-already = Вы уже подписаны на автора { $name }.
subscriptions-already-toast = Вы уже подписаны на автора { $name }. Управлять подписками — /subscriptions.
subscriptions-unsubscribed = 🔕 Вы отписались от { $name }.
subscriptions-not-subscribed = Вы не были подписаны на { $handle }.
subscriptions-unsubscribed-toast = 🔕 Подписка отменена.
subscriptions-not-subscribed-toast = Вы и не были подписаны.

## Comments

comments-title = 💬 <b>Комментарии к статье «{ $title }»</b>
comments-none = Комментариев к этой статье пока нет. Будьте первым!
comments-no-more = Больше комментариев нет.
comments-item-heading = <b>{ $name }</b> · { $time } UTC
comments-button-post = ✍️ Написать комментарий
comments-button-article = ↩️ К статье
comments-cancelled = Отменено: комментарий не опубликован.
comments-nothing-to-cancel = Отменять нечего.
comments-length-invalid =
    Комментарий должен быть длиной от 1 до { $max } символов, а в вашем { $length ->
        [one] { $length } символ
        [few] { $length } символа
        [many] { $length } символов
       *[other] { $length } символа
    }. Отправьте покороче или нажмите /cancel.
comments-too-fast = Вы комментируете слишком часто — подождите минуту и отправьте ещё раз.
comments-article-gone = Эта статья больше недоступна, поэтому комментарий не опубликован.
comments-banned = К сожалению, вы больше не можете оставлять здесь комментарии.
comments-button-full = 📖 { $name } — { $start }
comments-gone-toast = Этого комментария больше нет.
comments-posted = ✅ Ваш комментарий опубликован.
comments-button-see = 💬 Комментарии
comments-prompt = ✍️ Напишите комментарий к статье «{ $title }» (от 1 до { $max } символов) и отправьте его. /cancel — отменить.
comments-input-placeholder = Ваш комментарий
comments-admin-only-toast = Удалять комментарии могут только администраторы.

## Sharing

share-heading = { $name } делится с вами этой статьёй
share-heading-anonymous = Друг делится с вами этой статьёй
share-button-open-in-bot = 📖 Открыть в Herald
share-button-read-on-site = 🌐 Читать на сайте
share-inline-description = { $author }
share-message =
    📤 <b>Поделиться статьёй «{ $title }»</b>

    Выберите чат и отправьте туда карточку, поделитесь ссылкой через Telegram или скопируйте её и перешлите:
    <a href="{ $url }">{ $link }</a>

    <i>{ $opens ->
        [0] Её ещё никто не открыл.
        [one] Её открыл { $opens } друг.
        [few] Её открыли { $opens } друга.
        [many] Её открыли { $opens } друзей.
       *[other] Её открыли { $opens } друга.
    } Все ваши ссылки — в /shared.</i>
share-button-send-card = 📨 Отправить карточку в чат
share-button-share-link = 🔗 Поделиться ссылкой
shared-empty = Вы пока ничем не делились. Откройте статью и нажмите 📤 Поделиться с другом.
shared-title = <b>📤 Чем вы поделились</b>
shared-item =
    • <b>{ $title }</b> — { $opens ->
        [0] пока никто не открыл
        [one] открыл { $opens } друг
        [few] открыли { $opens } друга
        [many] открыли { $opens } друзей
       *[other] открыли { $opens } друга
    }

## Alerts

alerts-heading = Новое от автора { $author }

## Digests (sent by the alert sender; the digest run of a slot)

digest-heading-daily = 📰 <b>Ваша ежедневная подборка</b> · { $count ->
        [one] { $count } новая статья
        [few] { $count } новые статьи
       *[many] { $count } новых статей
    }
digest-heading-weekly = 📰 <b>Ваша еженедельная подборка</b> · { $count ->
        [one] { $count } новая статья
        [few] { $count } новые статьи
       *[many] { $count } новых статей
    }
digest-heading-held = 🌙 <b>Пока действовали тихие часы</b> · { $count ->
        [one] { $count } новая статья
        [few] { $count } новые статьи
       *[many] { $count } новых статей
    }
digest-author = ✍️ <b>{ $name }</b>
digest-item = { $n }. <b>{ $title }</b>
digest-summary = <i>{ $summary }</i>
digest-button-open = { $n }. { $title }
digest-part = Часть { $part } из { $parts }

## /settings and /tag (how news arrives)

settings-title = ⚙️ <b>Как к вам приходят новости</b>
settings-mode = <b>Новые подписки:</b> { $mode } — так будут приходить статьи автора или темы, на которые вы подпишетесь.
settings-zone = <b>Часовой пояс:</b> { $zone } — подборки и тихие часы идут по вашему местному времени.
settings-hour = <b>Время подборки:</b> { $hour } — когда приходят ежедневная и еженедельная подборки.
settings-weekday = <b>Еженедельная подборка:</b> { $day } — в этот день приходит подборка за неделю.
settings-quiet = <b>Тихие часы:</b> { $quiet } — уведомления в это время приходят без звука или ждут их окончания.
settings-quiet-off = выключены
# Quiet hours that are on; the action is its own message (a selector on a text argument would see its isolation marks).
settings-quiet-window-silent = { $from }–{ $to }, без звука
settings-quiet-window-hold = { $from }–{ $to }, придержать до конца
settings-zone-hint = Другой пояс? Отправьте /settings с городом или смещением от UTC, например /settings Europe/Moscow или /settings +03:00.
settings-zone-invalid = Не знаю часовой пояс «{ $zone }». Укажите город в виде Регион/Город (Europe/Moscow, Asia/Almaty) или смещение вроде +03:00.
settings-follows = <b>Ваши подписки</b> — нажмите, чтобы переключить: ⚡ сразу, 📰 раз в день, 🗓 раз в неделю:
settings-saved-toast = Сохранено
settings-button-mode-instant = ⚡ Сразу
settings-button-mode-daily = 📰 Раз в день
settings-button-mode-weekly = 🗓 Раз в неделю
settings-button-quiet-off = 🔔 Без тихих часов
settings-button-quiet-silent = 🔕 22–07 без звука
settings-button-quiet-hold = 🌙 22–07 придержать
tag-usage = Как пользоваться: /tag &lt;тема&gt; — например, /tag климат. Отправьте ещё раз, чтобы отписаться.
tag-followed = 🏷 Вы подписаны на #{ $tag }. Статьи с этой темой будут приходить так: { $mode }. Изменить можно в /settings.
tag-unfollowed = Вы больше не подписаны на #{ $tag }.

## Delivery modes on lists, the time zone question, tags on cards and /tags

subscriptions-mode-legend = Нажмите ⚡ 📰 🗓 рядом с автором, чтобы выбрать: уведомлять сразу, подборкой раз в день или раз в неделю.
subscriptions-latest = Свежее от автора { $name }:
settings-follow-mode-toast = { $target }: { $mode }
settings-zone-ask =
    🕗 Подборки приходят в { $hour } по вашему времени. В каком вы часовом поясе?
    Вашего нет в списке? Отправьте /settings с городом или смещением от UTC, например /settings Europe/Moscow или /settings +03:00.
settings-zone-set = Часовой пояс: { $zone }. Подборки будут приходить в { $hour } по местному времени; изменить можно в /settings.
articles-button-tags = 🏷 Темы
tags-article-title = 🏷 <b>Темы статьи «{ $title }»</b> — нажмите, чтобы подписаться, ещё раз — чтобы отписаться.
tags-button-follow = ➕ #{ $tag }
tags-button-following = ✓ #{ $tag }
tag-followed-toast = Вы подписаны на #{ $tag }
tag-unfollowed-toast = Вы отписались от #{ $tag }
tag-latest = Свежее по теме #{ $tag }:
tags-title = 🏷 <b>Самые популярные темы</b>
tags-item = #{ $tag } — { $count ->
        [one] { $count } подписчик
        [few] { $count } подписчика
        [many] { $count } подписчиков
       *[other] { $count } подписчика
    }
tags-footer = Нажмите на тему, чтобы подписаться (✓ — вы подписаны; нажмите ещё раз, чтобы отписаться). Другая тема: /tag &lt;тема&gt;.
tags-empty = Пока никто не подписан ни на одну тему. Подпишитесь кнопкой 🏷 Темы под статьёй или командой /tag &lt;тема&gt;.

## Channels: the card Herald posts in the publisher's channel (its buttons open the bot)

channels-button-read = 📖 Читать статью целиком
channels-button-subscribe = 🔔 Подписаться на автора
channels-button-comments = 💬 Комментарии
# A channel post whose article was deleted, once it is too old for Telegram to delete.
channels-post-removed = 🗑 <i>Издатель удалил эту статью.</i>

## Groups: a group (or one forum topic of it) follows authors; only the group's admins change that

groups-admins-only = Менять, за какими авторами следит группа, могут только её администраторы.
groups-subscribe-usage = Как подписать группу: /subscribe@{ $bot } &lt;ник&gt; или #тег, например /subscribe@{ $bot } jdoe или /subscribe@{ $bot } #климат. Новые статьи автора или с этим тегом будут появляться здесь.
groups-unsubscribe-usage = Как отписать группу: /unsubscribe@{ $bot } &lt;ник&gt; или #тег.
groups-subscribed = 🔔 Группа подписана на { $name }: новые статьи автора будут появляться здесь.
groups-subscribed-topic = 🔔 Эта тема подписана на { $name }: новые статьи автора будут появляться здесь.
groups-subscribed-tag = 🏷 Группа подписана на #{ $tag }: новые статьи с этим тегом будут появляться здесь.
groups-subscribed-tag-topic = 🏷 Эта тема подписана на #{ $tag }: новые статьи с этим тегом будут появляться здесь.
groups-unsubscribed = 🔕 Группа больше не подписана на { $handle }.
groups-not-subscribed = Группа не подписана на { $handle }.
groups-personal-command = 🔒 { $command } — личная команда: она показывает и меняет ваши подписки и настройки, поэтому работает в личном чате со мной, а не здесь.
groups-button-private-chat = 💬 Открыть личный чат

## /privacy и /forget_me

privacy-text =
    <b>🔒 Ваши данные в Herald</b>

    Herald хранит только то, без чего не может вам служить:
    • ваш id в Telegram, имя, username и язык — чтобы здороваться и отвечать на вашем языке;
    • настройки доставки: часовой пояс, время и день дайджеста, тихие часы — чтобы новости приходили, когда вам удобно;
    • авторов и теги, на которые вы подписаны, — чтобы присылать уведомления и дайджесты;
    • статьи, ждущие следующего дайджеста, — пока он не уйдёт (не дольше 60 дней);
    • ваши комментарии — чтобы их видели другие читатели;
    • ссылки, которыми вы поделились, и кто из друзей их открыл, — для счётчика «открыли друзья» (каждое открытие забывается через 180 дней);
    • записи об отправленных вам уведомлениях (от 30 до 60 дней) и короткоживущие записи: счётчики против злоупотреблений и ваша роль в группах.

    /forget_me сразу стирает всё это, кроме записей, которые исчезают сами в свой срок. Комментарии удаляются, а не остаются анонимными.
privacy-policy-link = Политика конфиденциальности издателя: <a href="{ $url }">{ $label }</a>
privacy-no-policy = <i>Это всё: отдельной политики издатель не указал.</i>
forget-confirm =
    <b>Стереть всё, что Herald хранит о вас?</b>
    Подписки, комментарии, ссылки и настройки будут удалены. Отменить это нельзя.
forget-button-yes = 🗑 Стереть мои данные
forget-button-no = Не надо
forget-kept = Ничего не стёрто.
forget-done = ✅ Готово: Herald больше ничего о вас не хранит. Отправьте /start, чтобы начать заново.
forget-more = Стираю дальше — данных много. Нажмите кнопку, чтобы продолжить.
forget-button-continue = Продолжить

## /settings: a topic per author in this chat (Bot API 9.3 topics in private chats)
settings-topics = <b>Темы по авторам:</b> { $state } — у каждого автора, на которого вы подписаны, своя тема в этом чате: туда приходят его статьи и подборки.
settings-topics-on = включены
settings-topics-off = выключены
settings-topics-refused = выключены — Telegram не дал мне открыть темы в этом чате, поэтому новости приходят сюда. Нажмите «Тема для каждого автора», чтобы попробовать ещё раз.
settings-button-topics-on = 🗂 Тема для каждого автора
settings-button-topics-off = 💬 Всё в одном чате
