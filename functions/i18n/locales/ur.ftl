# Herald — اردو۔ ترجمے کے اصول en.ftl کے شروع میں اور docs/i18n.md میں ہیں۔
# جمع کی صورتیں: [one] 1 · *[other] باقی سب۔
# سمت کے نشان خود نہ لکھیں: پروگرام متغیرات، کمانڈز (/latest) اور ہینڈلز (@jdoe) کو خود الگ کر دیتا ہے۔

## Shared

common-button-out-of-date-toast = یہ بٹن پرانا ہو چکا ہے۔ نئے سرے سے شروع کرنے کے لیے /latest بھیجیں۔
common-error-toast = معذرت، کچھ گڑبڑ ہو گئی۔ دوبارہ کوشش کریں۔
common-error = معذرت، کچھ گڑبڑ ہو گئی۔ تھوڑی دیر بعد دوبارہ کوشش کریں۔
common-button-page = · { $page } ·
common-button-article = 📄 { $title }
common-button-author = 👤 { $name }

## /start, /help and unknown commands

start-welcome =
    👋 خوش آمدید، { $name }!

    میں آپ کو ہمارے تازہ ترین مضامین کے خلاصے بھیجتا ہوں، آپ کے پسندیدہ لکھاریوں کو فالو کرنے دیتا ہوں اور جب وہ کچھ نیا شائع کریں تو آپ کو بتاتا ہوں، اور مضامین دوستوں کے ساتھ شیئر کرنے میں مدد کرتا ہوں۔

    /latest یا /authors آزمائیں، یا /help سے دیکھیں کہ میں کیا کیا کر سکتا ہوں۔
start-button-latest = 📰 تازہ ترین مضامین
start-button-authors = ✍️ لکھاری
start-share-link-invalid = 🤷 یہ شیئر کیا گیا لنک اب کارآمد نہیں۔ اس کے بجائے یہ دیکھیے کہ نیا کیا ہے:
start-link-invalid = 🤷 یہ لنک کسی ایسی چیز تک نہیں جاتا جسے میں جانتا ہوں۔ اس کے بجائے یہ دیکھیے کہ نیا کیا ہے:
start-unknown-command = یہ کمانڈ میں نہیں جانتا۔ /help بتائے گا کہ میں کیا کر سکتا ہوں۔
help-text =
    <b>Herald</b> ہمارے مضامین ٹیلی گرام پر لاتا ہے۔

    /latest — تازہ ترین مضامین
    /authors — تمام لکھاری
    /author &lt;ہینڈل&gt; — کسی لکھاری کا پروفائل
    /search &lt;الفاظ&gt; — عنوان کے الفاظ سے مضامین تلاش کریں
    /subscribe &lt;ہینڈل&gt; — لکھاری کچھ شائع کرے تو اطلاع پائیں
    /unsubscribe &lt;ہینڈل&gt; — یہ اطلاعات بند کریں
    /subscriptions — وہ لکھاری جنہیں آپ فالو کرتے ہیں
    /settings — فوری اطلاعات یا خلاصے، ٹائم زون، خاموشی کے اوقات
    /tag &lt;موضوع&gt; — کسی موضوع کو فالو کریں (روکنے کے لیے دوبارہ بھیجیں)
    /tags — سب سے زیادہ فالو کیے جانے والے موضوعات
    /shared — آپ نے کیا شیئر کیا اور کتنے دوستوں نے اسے کھولا
    /language — میری زبان منتخب کریں
    /privacy — میں آپ کے بارے میں کیا رکھتا ہوں، اور ‎/forget_me اسے مٹانے کے لیے
    /cancel — تبصرہ لکھنا روک دیں
    /help — یہی فہرست

    آپ عنوانات تلاش کرنے کے لیے براہِ راست الفاظ بھی لکھ سکتے ہیں، یا کسی بھی چیٹ میں مجھے استعمال کر سکتے ہیں: @ اور میرا نام لکھیں، پھر الفاظ۔

## Command menu (setMyCommands; plain text, at most 256 characters)

commands-start-description = خوش آمدید اور یہ بوٹ کیا کرتا ہے
commands-help-description = کمانڈز کی فہرست
commands-latest-description = تازہ ترین مضامین، نئے پہلے
commands-authors-description = لکھاریوں کی فہرست
commands-author-description = لکھاری کا پروفائل، مثلاً /author jdoe
commands-search-description = عنوان کے الفاظ سے مضامین تلاش کریں
commands-subscriptions-description = وہ لکھاری جنہیں آپ فالو کرتے ہیں
commands-settings-description = فوری اطلاعات یا خلاصے، ٹائم زون، خاموشی کے اوقات
commands-tag-description = کسی موضوع کو فالو کریں، مثلاً /tag موسم
commands-tags-description = سب سے زیادہ فالو کیے جانے والے موضوعات
commands-shared-description = آپ نے کیا شیئر کیا اور کتنے دوستوں نے اسے کھولا
commands-language-description = میری زبان منتخب کریں
commands-privacy-description = Herald آپ کے بارے میں کیا رکھتا ہے اور اسے کیسے مٹائیں

## /language

language-prompt = وہ زبان منتخب کریں جس میں میں آپ سے بات کروں:
language-changed = ہو گیا: اب میں آپ سے اردو میں بات کروں گا۔
language-changed-toast = زبان: اردو

## Articles: the card, the full text, the latest list

articles-card-byline = از { $author } ({ $handle }) · { $date }
articles-card-byline-reading =
    از { $author } ({ $handle }) · { $date } · { $minutes ->
        [one] { $minutes } منٹ کی پڑھائی
       *[other] { $minutes } منٹ کی پڑھائی
    }
articles-card-counters =
    👁 مشاہدات: { $views } · { $replies ->
        [0] 💬 ابھی کوئی تبصرہ نہیں
       *[other] 💬 تبصرے: { $replies }
    }
articles-button-read-full = 📖 پورا مضمون پڑھیں
articles-button-share = 📤 دوست کے ساتھ شیئر کریں
articles-button-comments =
    { $count ->
        [0] 💬 تبصرے
       *[other] 💬 تبصرے ({ $count })
    }
articles-full-page-footer = <i>صفحہ { $page } از { $pages }</i>
articles-button-back-to-card = ↩️ کارڈ پر واپس
articles-latest-title =
    { $page ->
        [1] <b>📰 تازہ ترین مضامین</b>
       *[other] <b>📰 تازہ ترین مضامین</b> · صفحہ { $page }
    }
articles-latest-empty = ابھی کچھ شائع نہیں ہوا۔
articles-list-no-more = مزید کوئی مضمون نہیں۔
articles-list-item = { $n }. <b>{ $title }</b> — { $author } · { $date }
articles-list-item-no-author = { $n }. <b>{ $title }</b> · { $date }
articles-list-button = { $n }. { $title }
articles-unavailable-toast = یہ مضمون اب دستیاب نہیں۔
articles-not-found = 🤷 یہ مضمون نہیں ملا۔ اس کے بجائے یہ دیکھیے کہ نیا کیا ہے:
articles-page-gone-toast = یہ صفحہ اب موجود نہیں؛ مضمون بدل چکا ہے۔

## Authors: profile, list, an author's articles

articles-by-author-title =
    { $page ->
        [1] <b>{ $author } کے مضامین</b>
       *[other] <b>{ $author } کے مضامین</b> · صفحہ { $page }
    }
articles-by-author-empty = ابھی کوئی مضمون نہیں۔
authors-profile-heading = <b>{ $name }</b> ({ $handle })
authors-profile-since = رکنیت کی تاریخ: { $date }
authors-profile-counters = مضامین: { $articles } · سبسکرائبرز: { $subscribers }
authors-profile-site = <a href="{ $url }">{ $label }</a>
authors-profile-latest = <b>تازہ ترین مضامین</b>
authors-profile-no-articles = <i>ابھی کوئی مضمون نہیں۔</i>
authors-button-all-articles = 📚 تمام مضامین
authors-button-subscribe = 🔔 سبسکرائب کریں
authors-button-unsubscribe = 🔕 ان سبسکرائب کریں
authors-list-title =
    { $page ->
        [1] <b>✍️ لکھاری</b>
       *[other] <b>✍️ لکھاری</b> · صفحہ { $page }
    }
authors-list-empty =
    <b>لکھاری</b>

    ابھی کوئی لکھاری نہیں۔
authors-list-item =
    <b>{ $name }</b> ({ $handle }) · { $count ->
        [one] { $count } مضمون
       *[other] { $count } مضامین
    }
authors-unavailable-toast = یہ لکھاری اب دستیاب نہیں۔
authors-not-found = 🤷 میں { $handle } نام کے کسی لکھاری کو نہیں جانتا۔ یہ ہیں وہ لکھاری جنہیں میں جانتا ہوں:
authors-handle-invalid = لکھاری کا ہینڈل @jdoe جیسا ہوتا ہے (انگریزی حروف، ہندسے اور _)۔ سب دیکھنے کے لیے /authors آزمائیں۔

## Search

search-results-title =
    { $page ->
        [1] <b>🔎 وہ عنوانات جن میں «{ $query }» ہے</b>
       *[other] <b>🔎 وہ عنوانات جن میں «{ $query }» ہے</b> · صفحہ { $page }
    }
search-results-empty = کوئی عنوان نہیں ملا۔ کم یا چھوٹے الفاظ آزمائیں، یا /latest دیکھیں۔
search-usage = طریقہ: /search &lt;الفاظ&gt; — مثلاً /search شہر سائیکل۔ الفاظ عنوان کے الفاظ کے شروع سے ملائے جاتے ہیں، کسی بھی زبان میں۔
search-too-fast = آپ بہت تیزی سے تلاش کر رہے ہیں — براہِ کرم ایک منٹ رک کر دوبارہ کوشش کریں۔
search-too-short = کسی لفظ کے کم از کم دو حروف لکھیں: اکیلے حروف اور ہندسے تلاش نہیں کیے جاتے۔

## Subscriptions

subscriptions-empty = آپ ابھی کسی کو فالو نہیں کرتے۔ /authors سے کوئی لکھاری کھولیں اور 🔔 سبسکرائب کریں دبائیں۔
subscriptions-title = <b>🔔 آپ کی سبسکرپشنز</b>
subscriptions-item = • { $name } ({ $handle })
subscriptions-footer = ان میں سے کوئی بھی کچھ شائع کرے تو آپ کو ایک اطلاع ملے گی۔
subscriptions-subscribe-usage = طریقہ: /subscribe &lt;ہینڈل&gt;، مثلاً /subscribe jdoe۔ /authors دیکھیں۔
subscriptions-unsubscribe-usage = طریقہ: /unsubscribe &lt;ہینڈل&gt;۔ /subscriptions بتاتا ہے کہ آپ کسے فالو کرتے ہیں۔
subscriptions-unknown-author = میں { $handle } نام کے کسی لکھاری کو نہیں جانتا۔ /authors دیکھیں۔
subscriptions-subscribed = 🔔 آپ نے { $name } کو سبسکرائب کر لیا۔ جب وہ کچھ شائع کریں گے تو آپ کو اطلاع ملے گی۔
subscriptions-subscribed-toast = 🔔 آپ نے { $name } کو سبسکرائب کر لیا۔ جب وہ کچھ شائع کریں گے تو آپ کو اطلاع ملے گی۔
subscriptions-already = آپ پہلے ہی { $name } کو فالو کرتے ہیں۔
subscriptions-already-toast = آپ پہلے ہی { $name } کو فالو کرتے ہیں۔ انتظام کے لیے /subscriptions۔
subscriptions-unsubscribed = 🔕 آپ نے { $name } کو ان سبسکرائب کر دیا۔
subscriptions-not-subscribed = آپ نے { $handle } کو سبسکرائب نہیں کیا تھا۔
subscriptions-unsubscribed-toast = 🔕 ان سبسکرائب ہو گئے۔
subscriptions-not-subscribed-toast = آپ نے سبسکرائب نہیں کیا تھا۔

## Comments

comments-title = 💬 <b>«{ $title }» پر تبصرے</b>
comments-none = اس مضمون پر ابھی کوئی تبصرہ نہیں۔ پہلا تبصرہ آپ کریں!
comments-no-more = مزید کوئی تبصرہ نہیں۔
comments-item-heading = <b>{ $name }</b> · { $time } UTC
comments-button-post = ✍️ تبصرہ لکھیں
comments-button-article = ↩️ مضمون
comments-cancelled = منسوخ: کوئی تبصرہ شائع نہیں ہوا۔
comments-nothing-to-cancel = منسوخ کرنے کو کچھ نہیں۔
comments-length-invalid =
    تبصرہ 1 سے { $max } حروف تک کا ہونا چاہیے؛ آپ کے تبصرے میں { $length ->
        [one] { $length } حرف ہے
       *[other] { $length } حروف ہیں
    }۔ براہِ کرم چھوٹا تبصرہ بھیجیں، یا /cancel۔
comments-too-fast = آپ بہت تیزی سے تبصرے کر رہے ہیں — ایک منٹ انتظار کر کے دوبارہ بھیجیں۔
comments-article-gone = معذرت، یہ مضمون اب دستیاب نہیں، اس لیے تبصرہ شائع نہیں ہوا۔
comments-banned = معذرت، آپ اب یہاں تبصرے شائع نہیں کر سکتے۔
comments-button-full = 📖 { $name } — { $start }
comments-gone-toast = یہ تبصرہ اب موجود نہیں۔
comments-posted = ✅ آپ کا تبصرہ شائع ہو گیا۔
comments-button-see = 💬 تبصرے دیکھیں
comments-prompt = ✍️ «{ $title }» پر اپنا تبصرہ لکھ کر بھیجیں (1 سے { $max } حروف)۔ روکنے کے لیے /cancel۔
comments-input-placeholder = آپ کا تبصرہ
comments-admin-only-toast = تبصرے صرف منتظمین حذف کر سکتے ہیں۔

## Sharing

share-heading = { $name } نے یہ آپ کے ساتھ شیئر کیا
share-heading-anonymous = ایک دوست نے یہ آپ کے ساتھ شیئر کیا
share-button-open-in-bot = 📖 Herald میں کھولیں
share-button-read-on-site = 🌐 ویب سائٹ پر پڑھیں
share-inline-description = از { $author }
share-message =
    📤 <b>«{ $title }» شیئر کریں</b>

    کارڈ بھیجنے کے لیے کوئی چیٹ چنیں، لنک ٹیلی گرام کے ذریعے شیئر کریں، یا یہ لنک کاپی کر کے آگے بھیج دیں:
    <a href="{ $url }">{ $link }</a>

    <i>{ $opens ->
        [0] ابھی کسی نے اسے نہیں کھولا۔
        [one] { $opens } دوست نے اسے کھولا ہے۔
       *[other] { $opens } دوستوں نے اسے کھولا ہے۔
    } آپ کی تمام شیئرز /shared میں ہیں۔</i>
share-button-send-card = 📨 کارڈ کسی چیٹ میں بھیجیں
share-button-share-link = 🔗 لنک شیئر کریں
shared-empty = آپ نے ابھی کچھ شیئر نہیں کیا۔ کوئی مضمون کھولیں اور 📤 دوست کے ساتھ شیئر کریں دبائیں۔
shared-title = <b>📤 آپ نے کیا شیئر کیا</b>
shared-item =
    • <b>{ $title }</b> — { $opens ->
        [0] ابھی کسی نے نہیں کھولا
        [one] { $opens } دوست نے کھولا
       *[other] { $opens } دوستوں نے کھولا
    }

## Alerts

alerts-heading = { $author } کی نئی تحریر

## Digests (sent by the alert sender; the digest run of a slot)

digest-heading-daily = 📰 <b>آپ کا روزانہ خلاصہ</b> · { $count ->
        [one] ایک نیا مضمون
       *[other] { $count } نئے مضامین
    }
digest-heading-weekly = 📰 <b>آپ کا ہفتہ وار خلاصہ</b> · { $count ->
        [one] ایک نیا مضمون
       *[other] { $count } نئے مضامین
    }
digest-heading-held = 🌙 <b>خاموشی کے اوقات میں آنے والے مضامین</b> · { $count ->
        [one] ایک نیا مضمون
       *[other] { $count } نئے مضامین
    }
digest-author = ✍️ <b>{ $name }</b>
digest-item = { $n }. <b>{ $title }</b>
digest-summary = <i>{ $summary }</i>
digest-button-open = { $n }. { $title }
digest-part = حصہ { $part } از { $parts }

## /settings and /tag (how news arrives)

settings-title = ⚙️ <b>خبریں آپ تک کیسے پہنچیں</b>
settings-mode = <b>نئی فالوز:</b> { $mode } — جس مصنف یا ٹیگ کو آپ آگے فالو کریں گے، اس کے مضامین اسی طرح آئیں گے۔
settings-zone = <b>ٹائم زون:</b> { $zone } — خلاصے اور خاموشی کے اوقات آپ کے مقامی وقت کے مطابق ہوتے ہیں۔
settings-hour = <b>خلاصے کا وقت:</b> { $hour } — روزانہ اور ہفتہ وار خلاصہ اسی وقت آتا ہے۔
settings-weekday = <b>ہفتہ وار خلاصہ:</b> { $day } — اس دن ہفتے بھر کا خلاصہ آتا ہے۔
settings-quiet = <b>خاموشی کے اوقات:</b> { $quiet } — ان اوقات میں اطلاعات بغیر آواز کے آتی ہیں یا ان کے ختم ہونے تک رکی رہتی ہیں۔
settings-quiet-off = بند
# Quiet hours that are on; the action is its own message (a selector on a text argument would see its isolation marks).
settings-quiet-window-silent = { $from }–{ $to }، بغیر آواز کے
settings-quiet-window-hold = { $from }–{ $to }، ختم ہونے تک روکی جائیں
settings-zone-hint = یہ آپ کا زون نہیں؟ /settings کے ساتھ شہر یا UTC سے فرق بھیجیں، جیسے /settings Asia/Karachi یا /settings +05:00۔
settings-zone-invalid = مجھے ٹائم زون “{ $zone }” معلوم نہیں۔ شہر علاقہ/شہر کی صورت میں لکھیں (Asia/Karachi، Asia/Dubai) یا فرق جیسے +05:00۔
settings-follows = <b>آپ کیا فالو کرتے ہیں</b> — ⚡ فوراً، 📰 روزانہ اور 🗓 ہفتہ وار کے درمیان بدلنے کے لیے کسی پر ٹیپ کریں:
settings-saved-toast = محفوظ ہو گیا
settings-button-mode-instant = ⚡ فوراً
settings-button-mode-daily = 📰 روزانہ
settings-button-mode-weekly = 🗓 ہفتہ وار
settings-button-quiet-off = 🔔 خاموشی کے اوقات نہیں
settings-button-quiet-silent = 🔕 22–07 بغیر آواز
settings-button-quiet-hold = 🌙 22–07 روکیں
tag-usage = استعمال: /tag &lt;موضوع&gt; — مثلاً /tag موسم۔ فالو ختم کرنے کے لیے دوبارہ بھیجیں۔
tag-followed = 🏷 اب آپ #{ $tag } کو فالو کر رہے ہیں۔ اس ٹیگ والے مضامین یوں آئیں گے: { $mode }۔ اسے /settings میں بدلیں۔
tag-unfollowed = اب آپ #{ $tag } کو فالو نہیں کر رہے۔

## Delivery modes on lists, the time zone question, tags on cards and /tags

subscriptions-mode-legend = کسی لکھاری کے ساتھ ⚡ 📰 🗓 پر ٹیپ کر کے فوری اطلاع، روزانہ یا ہفتہ وار خلاصے میں سے چنیں۔
subscriptions-latest = { $name } کے تازہ ترین مضامین:
settings-follow-mode-toast = { $target }: { $mode }
settings-zone-ask =
    🕗 خلاصے آپ کے وقت کے مطابق { $hour } بجے آتے ہیں۔ آپ کس ٹائم زون میں ہیں؟
    آپ کا زون یہاں نہیں؟ /settings کے ساتھ شہر یا UTC سے فرق بھیجیں، جیسے /settings Asia/Karachi یا /settings +05:00۔
settings-zone-set = ٹائم زون: { $zone }۔ آپ کے خلاصے مقامی وقت کے مطابق { $hour } بجے آئیں گے؛ اسے کبھی بھی /settings میں بدلیں۔
articles-button-tags = 🏷 ٹیگز
tags-article-title = 🏷 <b>“{ $title }” کے موضوعات</b> — فالو کرنے کے لیے کسی پر ٹیپ کریں، روکنے کے لیے دوبارہ۔
tags-button-follow = ➕ #{ $tag }
tags-button-following = ✓ #{ $tag }
tag-followed-toast = اب آپ #{ $tag } کو فالو کر رہے ہیں
tag-unfollowed-toast = اب آپ #{ $tag } کو فالو نہیں کر رہے
tag-latest = #{ $tag } پر تازہ ترین مضامین:
tags-title = 🏷 <b>سب سے زیادہ فالو کیے جانے والے موضوعات</b>
tags-item = #{ $tag } — { $count ->
        [one] { $count } فالوور
       *[other] { $count } فالوورز
    }
tags-footer = فالو کرنے کے لیے کسی موضوع پر ٹیپ کریں (✓ یعنی آپ اسے فالو کرتے ہیں؛ روکنے کے لیے دوبارہ ٹیپ کریں)۔ کوئی اور: /tag &lt;موضوع&gt;۔
tags-empty = ابھی کوئی کسی موضوع کو فالو نہیں کرتا۔ کسی مضمون کے 🏷 ٹیگز بٹن سے یا /tag &lt;موضوع&gt; سے فالو کریں۔

## Channels: the card Herald posts in the publisher's channel (its buttons open the bot)

channels-button-read = 📖 پوری تحریر پڑھیں
channels-button-subscribe = 🔔 مصنف کو فالو کریں
channels-button-comments = 💬 تبصرے
# A channel post whose article was deleted, once it is too old for Telegram to delete.
channels-post-removed = 🗑 <i>ناشر نے یہ تحریر ہٹا دی ہے۔</i>

## Groups: a group (or one forum topic of it) follows authors; only the group's admins change that

groups-admins-only = یہ گروپ کن مصنفین کو فالو کرے، یہ صرف اس کے ایڈمن بدل سکتے ہیں۔
groups-subscribe-usage = طریقہ: /subscribe@{ $bot } &lt;ہینڈل&gt; یا #ٹیگ، مثلاً /subscribe@{ $bot } jdoe یا /subscribe@{ $bot } #climate۔ پھر اس مصنف کی، یا اس ٹیگ والی، نئی تحریریں یہاں پوسٹ ہوں گی۔
groups-unsubscribe-usage = طریقہ: /unsubscribe@{ $bot } &lt;ہینڈل&gt; یا #ٹیگ۔
groups-subscribed = 🔔 یہ گروپ اب { $name } کو فالو کرتا ہے: ان کی نئی تحریریں یہاں پوسٹ ہوں گی۔
groups-subscribed-topic = 🔔 یہ موضوع اب { $name } کو فالو کرتا ہے: ان کی نئی تحریریں یہاں پوسٹ ہوں گی۔
groups-subscribed-tag = 🏷 یہ گروپ اب #{ $tag } کو فالو کرتا ہے: اس ٹیگ والی نئی تحریریں یہاں پوسٹ ہوں گی۔
groups-subscribed-tag-topic = 🏷 یہ موضوع اب #{ $tag } کو فالو کرتا ہے: اس ٹیگ والی نئی تحریریں یہاں پوسٹ ہوں گی۔
groups-unsubscribed = 🔕 یہ گروپ اب { $handle } کو فالو نہیں کرتا۔
groups-not-subscribed = یہ گروپ { $handle } کو فالو نہیں کرتا۔
groups-personal-command = 🔒 { $command } ذاتی کمانڈ ہے: یہ آپ کی فالوز اور ترتیبات دکھاتی اور بدلتی ہے، اس لیے ہماری نجی چیٹ میں چلتی ہے، یہاں نہیں۔
groups-button-private-chat = 💬 نجی چیٹ کھولیں

## /privacy اور /forget_me

privacy-text =
    <b>🔒 Herald میں آپ کا ڈیٹا</b>

    Herald صرف وہی رکھتا ہے جو آپ کی خدمت کے لیے ضروری ہے:
    • آپ کی ٹیلیگرام آئی ڈی، نام، یوزر نیم اور زبان — آپ کو خوش آمدید کہنے اور آپ کی زبان میں جواب دینے کے لیے؛
    • ترسیل کی ترتیبات: آپ کا ٹائم زون، ڈائجسٹ کا وقت اور دن، اور خاموش اوقات — تاکہ خبریں آپ کے چاہے ہوئے وقت پر پہنچیں؛
    • وہ مصنفین اور ٹیگ جنہیں آپ فالو کرتے ہیں — آپ کو اطلاعات اور ڈائجسٹ بھیجنے کے لیے؛
    • آپ کے اگلے ڈائجسٹ کے منتظر مضامین — اس کے جانے تک (زیادہ سے زیادہ 60 دن)؛
    • آپ کے تبصرے — دوسرے قارئین کو دکھانے کے لیے؛
    • آپ کے شیئر کیے ہوئے لنکس اور کن دوستوں نے انہیں کھولا — «کھولنے والے دوست» کے لیے (ہر کھولنا 180 دن بعد بھلا دیا جاتا ہے)؛
    • آپ کو بھیجی گئی اطلاعات کا ریکارڈ (30 سے 60 دن) اور مختصر مدت کے ریکارڈ: غلط استعمال روکنے کے شمار اور گروپوں میں آپ کا کردار۔

    ‎/forget_me یہ سب فوراً مٹا دیتا ہے، سوائے اُن ریکارڈز کے جو اپنی مدت پوری ہونے پر خود مٹ جاتے ہیں۔ آپ کے تبصرے حذف کیے جاتے ہیں، گمنام نہیں رکھے جاتے۔
privacy-policy-link = ناشر کی رازداری پالیسی: <a href="{ $url }">{ $label }</a>
privacy-no-policy = <i>بس یہی سب ہے: ناشر نے کوئی الگ پالیسی منسلک نہیں کی۔</i>
forget-confirm =
    <b>کیا Herald آپ کے بارے میں جو کچھ رکھتا ہے وہ سب مٹا دیا جائے؟</b>
    آپ کی سبسکرپشنز، تبصرے، شیئرز اور ترتیبات حذف ہو جائیں گی۔ یہ واپس نہیں ہو سکتا۔
forget-button-yes = 🗑 میرا ڈیٹا مٹائیں
forget-button-no = رہنے دیں
forget-kept = کچھ نہیں مٹایا گیا۔
forget-done = ✅ ہو گیا: Herald اب آپ کے بارے میں کچھ نہیں رکھتا۔ دوبارہ استعمال کے لیے ‎/start بھیجیں۔
forget-more = مٹانا ابھی جاری ہے — ڈیٹا زیادہ ہے۔ جاری رکھنے کے لیے بٹن دبائیں۔
forget-button-continue = مٹانا جاری رکھیں

## /settings: a topic per author in this chat (Bot API 9.3 topics in private chats)
settings-topics = <b>ہر مصنف کا الگ موضوع:</b> { $state } — آپ جن مصنفین کو فالو کرتے ہیں، ان میں سے ہر ایک کا اس چیٹ میں اپنا موضوع ہوتا ہے، جہاں ان کی اطلاعات اور خلاصے آتے ہیں۔
settings-topics-on = آن
settings-topics-off = آف
settings-topics-refused = آف — ٹیلیگرام نے مجھے اس چیٹ میں موضوعات کھولنے نہیں دیے، اس لیے خبریں یہیں آتی ہیں۔ دوبارہ کوشش کے لیے «ہر مصنف کا الگ موضوع» دبائیں۔
settings-button-topics-on = 🗂 ہر مصنف کا الگ موضوع
settings-button-topics-off = 💬 سب کچھ یہیں
