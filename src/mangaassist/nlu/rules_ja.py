"""Built-in Japanese stage-1 rules: short whole-message phrasings (kana-folded), no doubt left."""

from __future__ import annotations

from mangaassist.domain.intent import Intent
from mangaassist.nlu.rules import RuleSet, register_rule_set, rule

# Patterns are written in hiragana where the text has katakana: match keys fold kana.
_POLITE = r"(?:です|ですか|ます|ください|下さい|お願いします|おねがいします|たい|たいです)?"

RULES = RuleSet(
    "ja",
    (
        rule(
            Intent.CHITCHAT,
            r"こんにちは|こんばんは|おはよう(?:ございます)?|はじめまして|やあ|どうも",
            r"(?:どうも)?ありがと(?:う|ー|〜)?(?:ございます|ございました)?|さんきゅー|あざす|あざーす",
            r"さようなら|またね|じゃあね|ばいばい|おやすみ(?:なさい)?",
            r"(?:あなたは)?(?:誰|だれ)(?:ですか)?|ぼっと(?:ですか)?",
            r"(?:了解|りょ|りょうかい|わかりました|わかった|おっけー|ok|なるほど|うん|はい|いいえ|"
            r"へー|へえ|ふーん|うーん|すごい|草|いいね|承知しました)(?:です)?",
        ),
        rule(
            Intent.ESCALATION,
            r"(?:人間|人|担当者|おぺれーたー|すたっふ|責任者)と話(?:したい|させて|せますか)"
            + _POLITE,
            r"(?:人間|担当者|おぺれーたー|すたっふ|有人(?:ちゃっと|対応)?)(?:に|へ)"
            r"(?:つないで|繋いで|代わって|かわって|切り替えて)" + _POLITE,
            r"おぺれーたー|担当者|人間",
        ),
        rule(
            Intent.ORDER_TRACKING,
            r"(?:私の)?(?:注文|荷物)(?:した商品)?(?:は|が)?(?:今)?どこ(?:ですか|にありますか)?",
            r"(?:注文|荷物)がまだ(?:届きません|届かない|届いていません|来ない)",
            r"(?:荷物|注文)(?:の)?(?:追跡|状況確認|配送状況)" + _POLITE,
        ),
        rule(
            Intent.RETURN_REQUEST,
            r"(?:注文した商品を|買った本を|商品を)?(?:返品|返金)(?:したい|を希望します|希望)"
            + _POLITE,
        ),
        rule(
            Intent.SHIPPING,
            r"送料(?:は)?(?:いくら|無料)(?:ですか)?",
            r"海外(?:発送|配送)(?:は)?(?:できますか|していますか|可能ですか)?",
        ),
        rule(Intent.PROMOTIONS, r"(?:今)?(?:せーる|くーぽん|割引)(?:は)?(?:ありますか|ある|中)"),
        rule(Intent.FAQ, r"(?:返品|ぷらいばしー)ぽりしー(?:を教えて(?:ください)?)?"),
    ),
)

register_rule_set(RULES)
