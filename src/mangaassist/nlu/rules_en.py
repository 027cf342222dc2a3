"""Built-in English stage-1 rules: short, whole-message phrasings that leave no doubt."""

from __future__ import annotations

from mangaassist.domain.intent import Intent
from mangaassist.nlu.rules import RuleSet, register_rule_set, rule

_HI = r"(?:(?:hi|hello|hey)(?: there)?,? )?"
_PLEASE = r"(?:,? ?(?:please|pls|plz|asap|now|thanks))?"

RULES = RuleSet(
    "en",
    (
        rule(
            Intent.CHITCHAT,
            r"(?:hi|hello|hey|hiya|howdy|yo|sup|good (?:morning|afternoon|evening|night))"
            r"(?: there| again| all| everyone| bot| assistant)?",
            r"(?:thanks|thank you|thank u|thx|ty|cheers|much appreciated)"
            r"(?: so much| a lot| very much)?(?:,? (?:bye|that helped|that's all))?",
            r"(?:ok |okay )?(?:bye|goodbye|bye bye|see you(?: later)?|see ya|later)",
            r"(?:who|what) are you|are you (?:a bot|a robot|an ai|human|a real person)",
            r"how are you(?: doing)?(?: today)?|how's it going|what's up|whats up",
            r"(?:ok(?:ay)?|k|kk|cool|got it|gotcha|sure|alright|great|perfect|awesome|nice|"
            r"no worries|never ?mind|nvm|lol|ha(?:ha)+|he(?:he)+|yes|yeah|yep|no|nope|nah|hm+|"
            r"oh|wow|i see)(?:,? (?:thanks|thank you|thx|ok|cool|bye))?",
        ),
        rule(
            Intent.ESCALATION,
            _HI + r"(?:i (?:want|need|would like|'d like) to )?(?:talk|speak|chat) (?:to|with) "
            r"(?:a |an |your )?(?:human|real person|person|agent|representative|manager|"
            r"supervisor|someone real|live agent|customer service)" + _PLEASE,
            r"(?:human|agent|representative|operator|live agent|real person)" + _PLEASE,
            r"(?:this |the |your |you(?:'re| are) )?(?:bot |chatbot |ai |assistant )?(?:is )?"
            r"(?:so |completely |totally )?(?:useless|garbage|stupid|dumb|a joke|not helping)",
            r"(?:connect|transfer|put) me (?:to|through to|with) (?:a |an )?"
            r"(?:human|agent|representative|person|live agent)" + _PLEASE,
            # Typed in a hurry: "i need a live agnet asap", "hooman pls", "get me a human".
            r"(?:i )?(?:need|want) (?:a |an )?(?:live |real )?(?:agent|agnet|human|hooman|person)"
            + _PLEASE,
            r"(?:get|give|find) me (?:a |an )?(?:live |real )?"
            r"(?:human|hooman|agent|person|staff member)" + _PLEASE,
            r"hoo?man" + _PLEASE,
        ),
        rule(
            Intent.ORDER_TRACKING,
            _HI + r"(?:where(?:'s| is) my (?:order|package|parcel|delivery|shipment))" + _PLEASE,
            _HI + r"(?:track|check) my (?:order|package|parcel|shipment)" + _PLEASE,
            r"(?:my )?order status" + _PLEASE,
            r"has my order (?:shipped|been shipped|arrived)(?: yet)?",
        ),
        rule(
            Intent.RETURN_REQUEST,
            _HI + r"i (?:want|need|would like|'d like) to return my (?:order|book|books|item|items|"
            r"purchase|manga)",
            _HI
            + r"i (?:want|need|would like|'d like) (?:a refund|my money back)(?: for my order)?",
        ),
        rule(
            Intent.SHIPPING,
            r"(?:how much is |what(?:'s| is) the )?shipping(?: cost| costs| fee)?",
            r"do you ship (?:internationally|overseas|worldwide|abroad)",
        ),
        rule(
            Intent.PROMOTIONS,
            r"(?:are there |do you have )?any (?:sales|coupons|discount codes|discounts|"
            r"promo codes|deals|promotions)(?: right now| today| this week)?",
        ),
        rule(
            Intent.FAQ,
            r"what(?:'s| is) your (?:return|refund|privacy|preorder|pre-order) policy",
            r"what payment methods do you (?:accept|take)",
        ),
    ),
)

register_rule_set(RULES)
