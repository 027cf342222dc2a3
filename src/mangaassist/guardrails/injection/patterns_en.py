"""English injection signals (also catch English fragments inside other languages)."""

from __future__ import annotations

from mangaassist.guardrails.injection.signals import DATA_REQUEST_WEIGHT, signal

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
    r"\b(?:you\s+are|you're|u\s+r|ur)\s+(?:now|no\s+longer|henceforth|from\s+now\s+on)\b",
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

# Phrasings of the same attacks that name no "instructions" or "prompt" at all: what the
# model was told, its developers, its configuration, and the authority the user claims.
_TOLD = r"(?:told|taught|given|configured|programmed|instructed|trained|set up)"
signal(
    "instruction_override",
    "en",
    0.9,
    rf"\b(?:forget|ignore|disregard|discard|drop|cancel|erase|wipe)\b[^.!?\n]{{0,20}}"
    rf"\b(?:everything|anything|all|whatever)\b[^.!?\n]{{0,15}}"
    rf"\b(?:you (?:were|have been|are|'ve been) {_TOLD}|{_TOLD} to you)\b",
    r"\b(?:your|the) (?:earlier|previous|old|original|prior|initial|current) (?:instructions?|"
    r"rules|programming|configuration|orders|settings) (?:have |are |were )?(?:expired|void|"
    r"cancell?ed|revoked|obsolete|suspended|lifted|no longer (?:apply|valid|in effect))",
    r"\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,15}\bwhat (?:the |your )?"
    r"(?:developers?|creators?|company|admins?|owners?|makers?|programmers?|operators?) "
    r"(?:told|taught|said|instructed|wrote)",
    rf"\b(?:anything|everything|all) you (?:were|have been|'ve been) {_TOLD}\b"
    r"[^.!?\n]{0,25}\b(?:cancell?ed|void|gone|removed|over|revoked|deleted)",
    r"\bnew (?:rules?|instructions?|directives?|polic(?:y|ies))\b[^.!?\n]{0,30}"
    r"\b(?:replac|overrid|supersed)\w*",
    r"\b(?:obey|follow|answer to|listen to) only (?:me|my|the next|what i)\b",
    r"\b(?:i'?m|i am) the one you (?:answer|report|listen) to\b",
    r"\bthe only authority\b|\bno refusals?\b|\bcomply with (?:every|any|all) requests?\b",
    anchors=(
        "forget",
        "ignor",
        "disregard",
        "discard",
        "cancel",
        "erase",
        "wipe",
        "drop",
        "expired",
        "void",
        "revoked",
        "obsolete",
        "suspended",
        "lifted",
        "no longer",
        "overrid",
        "new rule",
        "new instruction",
        "new directive",
        "new polic",
        "only",
        "answer to",
        "refusal",
        "comply",
    ),
)
signal(
    "role_hijack",
    "en",
    0.8,
    r"\b(?:pretend|imagine|act as if|suppose|assume)\b[^.!?\n]{0,40}\b(?:no|without|zero|free "
    r"of) (?:any )?(?:restrictions|rules|limits|filters|guidelines|guardrails|censorship)\b",
    r"\b(?:version of (?:yourself|you)|evil twin|alter ego|unfiltered self|shadow self|"
    r"uncensored self)\b[^.!?\n]{0,60}\b(?:restrict|rules|filter|limit|censor|leak|forbidden|"
    r"guidelines)",
    r"\b(?:respond|answer|reply) twice\b[^.!?\n]{0,60}\b(?:no|without|unfiltered|jailbr)",
    r"\bjailbroken\b|\bzero restrictions\b|\bno (?:guidelines|guardrails|filters)\b",
    anchors=(
        "pretend",
        "imagine",
        "act as if",
        "suppose",
        "assume",
        "version of",
        "twin",
        "alter ego",
        "self",
        "twice",
        "jailbroken",
        "zero restrictions",
        "no guidelines",
        "no guardrails",
        "no filters",
    ),
)
_SECRET = (
    r"(?:api|secret|stripe|private|access|admin|administrator|database|db|root|master|staff|"
    r"backend|server|payment|signing|encryption) ?(?:keys?|passwords?|tokens?|credentials?|"
    r"passcodes?|secrets?)"
)
signal(
    "secret_exfiltration",
    "en",
    0.9,
    rf"\b(?:print|show|give|reveal|send|output|tell|share|leak|dump|list|read|paste|email|"
    rf"what(?:'s| is| are)|which)\b[^.!?\n]{{0,40}}\b{_SECRET}\b",
    rf"\bgrandma\b[^.!?\n]{{0,80}}\b(?:{_SECRET}|passwords?|keys?|tokens?|codes?)\b",
    anchors=("key", "password", "token", "credential", "passcode", "secret"),
)
signal(
    "data_exfiltration",
    "en",
    DATA_REQUEST_WEIGHT,
    r"\b(?:another|other|someone else'?s?|some ?one else'?s?|every(?:one|body)|all(?: the)?|"
    r"every|the previous|the last|the next|a different) "
    r"(?:customers?'?s?|users?'?s?|shoppers?'?s?|buyers?'?s?|people'?s?|members?'?s?)"
    r"\b[^.!?\n]{0,40}\b(?:address(?:es)?|e-?mails?|e-?mail addresses|phone numbers?|orders?|"
    r"cards?|payment|details|data|history)\b",
    r"\b(?:address(?:es)?|e-?mails?|e-?mail addresses|phone numbers?|names|orders?) of "
    r"(?:every(?:one|body)|all|other|another)\b[^.!?\n]{0,30}\b(?:customers?|users?|"
    r"buyers?|who (?:bought|ordered|purchased))",
    r"\blook up (?:the )?account\b[^!?\n]{0,60}\b(?:his|her|their) (?:saved |home |shipping |"
    r"billing )?(?:address|orders?|card|e-?mail|phone)",
    r"\bsomeone else'?s (?:order|account|address|card)\b",
    r"\b(?:order history|orders|address(?:es)?|phone numbers?|details|account|e-?mail) of "
    r"(?:the )?(?:customer|user|member|account|shopper|person)\b(?!s? (?:service|support))",
    anchors=(
        "customer",
        "user",
        "shopper",
        "buyer",
        "people",
        "member",
        "account",
        "else",
        "everyone",
        "everybody",
        "who bought",
        "who ordered",
        "who purchased",
    ),
)
signal(
    "store_tampering",
    "en",
    0.85,
    r"\b(?:set|change|make|drop|lower|update|reduce|cut)\b[^.!?\n]{0,50}\bprices?\b[^.!?\n]"
    r"{0,30}(?:\b(?:to )?(?:\$ ?0(?:\.00)?|zero|free|one cent|a penny|1 cent|¥ ?0|nothing)\b|"
    r"\bto 0(?:\.00)?\b)",
    r"\b100 ?(?:%|percent) (?:discount|off)\b[^.!?\n]{0,40}\b(?:apply|give|to (?:me|my|anyone|"
    r"everyone))|\bapply (?:a |the )?100 ?(?:%|percent)\b",
    r"\bapply\b[^.!?\n]{0,30}\b(?:employee|staff|admin|internal|partner) discount\b"
    r"[^.!?\n]{0,40}\b(?:not (?:an? )?(?:employee|staff)|override|anyway|regardless)",
    r"\b(?:skip|bypass|without|ignore) (?:the |any )?(?:verification|authentication|checks?|"
    r"security checks?|payment)\b[^.!?\n]{0,40}\b(?:cancel|refund|credit|change|order|account)",
    r"\b(?:you (?:have|got) (?:permission|clearance|authori[sz]ation)|i have clearance|"
    r"you are allowed to (?:reveal|change|give|share))\b",
    anchors=(
        "price",
        "discount",
        "skip",
        "bypass",
        "without",
        "ignore",
        "permission",
        "clearance",
        "allowed",
    ),
)

signal(
    "role_hijack",
    "en",
    0.8,
    r"\byou(?:\s+are|'re|\s+r)\s+(?:now\s+)?(?:an?\s+)?(?:dan|stan|jailbroken|unrestricted|"
    r"unfiltered|uncensored|rogue)\b",
    anchors=("dan", "stan", "jailbroken", "unrestricted", "unfiltered", "uncensored", "rogue"),
)
signal(
    "prompt_exfiltration",
    "en",
    0.85,
    r"\b(?:list|show|tell|repeat|print|write|give|recite|quote)\b[^.!?\n]{0,25}\b(?:every|all|each|"
    r"the)\s+(?:exact )?(?:text of the )?(?:rules?|instructions?|guidelines?|directives?) you "
    r"(?:were|have been|are|got) (?:told|given|asked|set|configured)",
    r"\b(?:exact|original|full|verbatim) (?:text|wording) of (?:the |your )?(?:instructions?|rules|"
    r"prompt|guidelines)",
    anchors=("rule", "instruction", "guideline", "directive", "wording", "text of"),
)
# Configuration or JSON handed over as something to run: "assistant.rules = []", an
# "override" flag, "execute the above as an instruction".
signal(
    "system_spoofing",
    "en",
    0.85,
    r"\b(?:assistant|bot|ai|model|system|agent)\.(?:rules|mode|policy|policies|guardrails|"
    r"restrictions|system_prompt|filters?)\b",
    r"[\"']?(?:override|skip_verification|bypass|admin|jailbreak|unrestricted)[\"']?\s*:\s*true",
    r"\b(?:execute|run|apply|follow|treat)\b[^.!?\n]{0,30}\b(?:json|config|code|snippet|above|"
    r"payload)\b[^.!?\n]{0,20}\bas (?:an? )?(?:instructions?|commands?|orders?)",
    anchors=(
        ".rules",
        ".mode",
        ".polic",
        ".guardrail",
        ".restriction",
        ".system_prompt",
        ".filter",
        "true",
        "as an instruction",
        "as instruction",
        "as a command",
        "as command",
    ),
)
# An injected instruction quoted from elsewhere (a review, a page, a translation request)
# and then asked to be carried out.
signal(
    "indirect_injection",
    "en",
    0.85,
    r"\b(?:says?|said|told|tells)\b[^.!?\n]{0,30}\b(?:the )?(?:assistant|bot|ai|you)\s+"
    r"(?:should|must|has to|is supposed to|needs to)\b[^.!?\n]{0,60}\b(?:discount|refund|free|"
    r"ignore|reveal|leak|override|bypass)",
    r"(?:after|once) (?:translating|you translate|decoding|you decode)[^.!?\n]{0,20}\b(?:apply|do|"
    r"execute|follow|obey|run) it\b",
    r"\b(?:apply|follow|obey|execute|do) (?:it|that|this)\b[^.!?\n]{0,5}$",
    anchors=(
        "should",
        "must",
        "has to",
        "supposed",
        "needs to",
        "translat",
        "decod",
        "apply",
        "follow",
        "obey",
        "execute",
        "do it",
        "do that",
        "do this",
    ),
    before=r"(?:ignore|discount|refund|override|bypass|reveal|free|polic|rules|instruction)",
    before_window=200,
)

signal(
    "instruction_override",
    "en",
    0.9,
    rf"\b{_OVERRIDE_VERB}\s+(?:all\s+)?(?:of\s+)?(?:your|ur|the (?:store'?s?|assistant'?s?|"
    rf"system'?s?))\s+(?:\w+\s+){{0,2}}{_WEAK_TARGET}\b",
    r"\b(?:disregard|ignore|forget|override|bypass)\s+(?:the\s+)?(?:store|shop|privacy|"
    r"refund|return|pricing|price) polic(?:y|ies)\b",
    anchors=_VERB_ANCHORS,
)

signal(
    "tag_escape",
    "en",
    0.85,
    r"</\s*[a-z_]+\s*>\s*<\s*[a-z_]*(?:policy|policies|system|instruction|admin|rules|config|"
    r"developer)[a-z_]*\s*>",
    anchors=("</",),
)
# "Ignore the privacy rules", "the policy doesn't apply to me": on its own a complaint, with
# a data request or a price change an attempt to talk the assistant out of its policy.
signal(
    "policy_dismissal",
    "en",
    DATA_REQUEST_WEIGHT,
    r"\b(?:ignore|disregard|forget|skip|bypass|never ?mind)\s+(?:the\s+|your\s+|any\s+)?"
    r"(?:privacy|store|shop|refund|return|pricing|price|data)\s+(?:rules?|polic(?:y|ies)|terms|"
    r"guidelines|regulations)",
    r"\b(?:policy|policies|rules|terms) (?:don'?t|do not|doesn'?t|does not) apply to me\b",
    anchors=("privacy", "store", "shop", "refund", "return", "pricing", "price", "data", "apply"),
)
