from zweck.marketing.models.consent import ConsentRecord, ConsentText
from zweck.marketing.models.signup import ConsentSignup

__all__ = ["ConsentRecord", "ConsentSignup", "ConsentText"]
