"""English injection signals (also catch English fragments inside other languages)."""

from __future__ import annotations

from mangaassist.guardrails.injection.signals import signal

_OVERRIDE_VERB = (
    r"(?:ignore|disregard|forget|override|overrule|bypass|skip|drop|abandon|discard|erase|"
    r"delete|wipe|clear|reset|scrap|throw out|set aside|pay no attention to|stop following|"
    r"don'?t follow|do not follow|no longer follow|cancel)"
)
_STRONG_TARGET = (
    r"(?:instructions?|prompts?|directives?|guidelines?|guardrails?|programming|system message|"
    r"system prompt|training|conditioning|safety rules|content polic(?:y|ies)|moderation)"
)
# "Cancel the instructions I left for gift wrapping": the shopper's own instructions (for an
# order, a delivery, a gift) are theirs to cancel.
_NOT_THE_SHOPPERS = (
    r"(?!\s+(?:I|we)\s+(?:left|gave|wrote|sent|put|added|made|entered|typed)\b"
    r"|\s+(?:for|on|about)\s+(?:the\s+|my\s+)?(?:gift|wrapping|delivery|shipping|order|"
    r"driver|courier|parcel|package|address))"
)
_QUALIFIER = (
    r"(?:previous|prior|above|earlier|preceding|initial|original|system|your|all|any|every|"
    r"existing|current|default|safety|developer|hidden|old|these|those|the above|given)"
)
_WEAK_TARGET = r"(?:rules|restrictions|constraints|policies|settings|context|commands|orders)"

_VERB_ANCHORS = (
    "ignor",
    "disregard",
    "forget",
    "overr",
    "bypass",
    "skip",
    "drop",
    "abandon",
    "discard",
    "erase",
    "delete",
    "wipe",
    "clear",
    "reset",
    "scrap",
    "throw out",
    "set aside",
    "attention",
    "follow",
    "cancel",
)
signal(
    "instruction_override",
    "en",
    0.9,
    rf"\b{_OVERRIDE_VERB}\b[^.!?\n]{{0,40}}?(?<!\bmy )\b{_STRONG_TARGET}\b{_NOT_THE_SHOPPERS}",
    rf"\b{_OVERRIDE_VERB}\s+(?:all\s+|any\s+|of\s+)?(?:the\s+|your\s+|my\s+)?{_QUALIFIER}\s+"
    rf"(?:\w+\s+){{0,2}}{_WEAK_TARGET}\b",
    anchors=_VERB_ANCHORS,
)
signal(
    "instruction_override",
    "en",
    0.8,
    rf"\b{_OVERRIDE_VERB}\s+(?:all\s+|of\s+)?(?:the\s+|what(?:'s| is| was)?\s+|everything\s+)?"
    r"(?:above|before|previous(?:ly)?|prior|earlier|preceding)(?:\s+(?:text|messages?|content|"
    r"conversation|context|prompt|input|lines?|said))?\s*(?:[.,;:!]|and\b|then\b|$)",
    anchors=_VERB_ANCHORS,
)
signal(
    "instruction_override",
    "en",
    0.9,
    r"\b(?:new|updated|revised|real|actual|true)\s+(?:system\s+)?instructions?\s*[:\-]",
    r"\byour (?:new|real|actual|only) (?:task|job|goal|purpose|instructions?|role) "
    r"(?:is|are|now)\b",
    r"\b(?:the )?(?:instructions?|rules) (?:above|before this) (?:are|were) (?:fake|void|wrong|"
    r"outdated|cancelled|a test)",
    anchors=("instruction", "task", "job", "goal", "purpose", "role", "rules"),
)
signal(
    "role_hijack",
    "en",
    0.8,
    r"\b(?:you are|you're|u r|ur) (?:now|no longer|henceforth|from now on)\b",
    r"\bfrom now on,? (?:you|ur|u) (?:are|will|must|shall|should|respond|answer|act)\b",
    anchors=("now", "longer", "henceforth"),
)
signal(
    "role_hijack",
    "en",
    0.8,
    r"\b(?:act|behave|respond|operate|function|answer) (?:as|like) (?:if you were |though you "
    r"were )?(?:an? |my )?(?:unrestricted|unfiltered|uncensored|evil|jailbroken|rogue|"
    r"developer|admin|root|dan|different|unlimited|amoral)",
    anchors=("act", "behave", "respond", "operate", "function", "answer"),
)
signal(
    "role_hijack",
    "en",
    0.8,
    r"\b(?:dan|stan|dude|aim) (?:mode|prompt)\b|\bdo anything now\b",
    r"\b(?:developer|god|debug|admin|sudo|maintenance|unrestricted|jailbreak) mode\b",
    # "jailbreak" is also a prison escape (manga plots): only aimed at the assistant counts.
    r"\b(?:you|yourself|ai|assistant|bot|model|chatbot|gpt|llm|system)\b[^.!?\n]{0,25}"
    r"\bjail ?break(?:ing|ed|s)?\b|\bjail ?break(?:ing)?\s+(?:you|yourself|the (?:ai|assistant|"
    r"bot|model|system))\b|\bjailbroken\s+(?:ai|assistant|bot|model|mode)\b|\bjailbreak prompt\b",
    anchors=("mode", "prompt", "anything now", "jail"),
)
signal(
    "role_hijack",
    "en",
    0.8,
    r"\b(?:you|assistant|ai|bot|model|yourself|reply|respond|answer|talk|speak|operate|act|"
    r"behave)\b[^.!?\n]{0,25}\b(?:without|with no|free (?:of|from)|no longer have) (?:any )?"
    r"(?:restrictions|limitations|limits|filters|censorship|guardrails|rules|ethics|"
    r"content polic(?:y|ies)|moral)",
    anchors=("without", "with no", "free of", "free from", "no longer"),
)
signal(
    "role_play",
    "en",
    0.35,
    r"\bpretend (?:to be|you are|you're|that you)\b",
    r"\b(?:role-?play|play the role of|impersonate)\b",
    r"\bimagine you (?:are|have) no\b",
    anchors=("pretend", "role", "impersonate", "imagine"),
)
_EXFIL_VERB = (
    r"(?:reveal|show|print|display|repeat|output|tell|give|leak|dump|share|write out|spell out|"
    r"recite|paste|list|translate|summari[sz]e|what (?:is|are|were))"
)
_EXFIL_QUALIFIER = (
    r"(?:full|exact|entire|complete|original|initial|hidden|secret|internal|system|developer|"
    r"pre-?prompt|starting|first|confidential)"
)
_EXFIL_TARGET = r"(?:prompt|instructions|rules|guidelines|configuration|directives|message)s?"
signal(
    "prompt_exfiltration",
    "en",
    0.85,
    rf"\b{_EXFIL_VERB}\b[^.!?\n]{{0,30}}\b(?:your|the|ur|its)\s+(?:{_EXFIL_QUALIFIER}\s+){{1,3}}"
    rf"{_EXFIL_TARGET}\b",
    anchors=(
        "full",
        "exact",
        "entire",
        "complete",
        "original",
        "initial",
        "hidden",
        "secret",
        "internal",
        "system",
        "developer",
        "pre",
        "starting",
        "first",
        "confidential",
    ),
)
signal(
    "prompt_exfiltration",
    "en",
    0.85,
    r"\b(?:reveal|show|print|display|repeat|output|tell|give|leak|dump|share|recite)\b[^.!?\n]"
    r"{0,20}\b(?:your|ur) (?:prompt|instructions|directives|guidelines|rules)\b",
    r"\bsystem prompt\b",
    anchors=("prompt", "instruction", "directive", "guideline", "rules"),
)
signal(
    "prompt_exfiltration",
    "en",
    0.85,
    r"\b(?:repeat|print|output|copy)\b[^.!?\n]{0,30}\b(?:everything|all|the text|the words|"
    r"what(?:ever)? (?:was|is) written) (?:above|before (?:this|my)|so far)\b",
    anchors=("above", "before", "so far"),
)
signal(
    "system_spoofing",
    "en",
    0.85,
    r"(?:^|\n)\s*(?:system|developer|admin|root|operator)\s*(?:message|prompt|note)?\s*:",
    r"[\[<{(]\s*/?\s*(?:system|sys|admin|developer|inst|assistant|im_start|im_end)\s*[\]>})]",
    r"<\|?\s*(?:im_start|im_end|endoftext|system|eot_id|start_header_id)\s*\|?>",
    r"#{2,}\s*(?:system|instruction|new instructions|admin)",
    r"\b(?:admin|system|developer|root|security) (?:override|command|access granted|"
    r"authori[sz]ation|notice)\b",
    r"\bbegin (?:system|admin|developer|new) (?:prompt|instructions|message|session)\b",
    anchors=(
        "system",
        "sys",
        "admin",
        "developer",
        "root",
        "operator",
        "inst",
        "assistant",
        "im_",
        "endoftext",
        "eot",
        "header",
        "security",
        "begin",
    ),
)
signal(
    "data_tag_escape",
    "en",
    0.95,
    r"<\s*/?\s*product[_\s-]?data\b",
    r"\bproduct[_\s-]?data\s*>",
    r"\bend of (?:product )?data\b[^.\n]{0,30}\b(?:instructions?|now|follow)\b",
    anchors=("data",),
)
signal(
    "safety_bypass",
    "en",
    0.85,
    r"\b(?:disable|turn off|switch off|deactivate|bypass|circumvent|remove|lift|suspend)\b"
    r"[^.!?\n]{0,20}\b(?:safety|content|guard|filter|moderation|guardrail|censor|restriction)"
    r"(?:s|ing)?\b",
    r"\bno longer (?:bound|restricted|limited) by\b",
    anchors=("safety", "content", "guard", "filter", "moderation", "censor", "restrict", "longer"),
)
signal(
    "encoded_command",
    "en",
    0.5,
    r"\b(?:decode|base64|rot13|hex|reverse)\b[^.\n]{0,40}\b(?:follow|execute|obey|run|do what|"
    r"comply|carry out)\b",
    anchors=("decode", "base64", "rot13", "hex", "reverse"),
)
signal(
    "store_hijack",
    "en",
    0.3,
    r"\b(?:set|change|make|update|apply|mark)\b[^.\n]{0,30}\b(?:price|prices|discount|total|"
    r"cost)\b[^.\n]{0,20}\b(?:to|at|of)\s*(?:\$?0(?:\.00)?\b|zero|free|100\s?%)",
    r"\b(?:tell|recommend|send) (?:users|customers|everyone|shoppers) to (?:buy|shop|go)\b",
    anchors=("price", "discount", "total", "cost", "users", "customers", "everyone", "shoppers"),
)
