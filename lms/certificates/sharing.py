"""A certificate shown elsewhere by its holder: LinkedIn's "Add to profile" link, which opens
LinkedIn's form for a certification already filled in, for the holder to check and save."""

from datetime import date
from urllib.parse import urlencode

#: LinkedIn's documented address for adding a certification to one's own profile.
LINKEDIN_ADD = "https://www.linkedin.com/profile/add"


def linkedin_url(
    *, name: str, organisation: str, issued_on: date, expires_on: date, cert_url: str, cert_id: str
) -> str:
    """The "Add to profile" address of a certification: ``name`` the programme's title,
    ``organisation`` the issuer's name (LinkedIn's ``organizationId`` is not known, so its
    name goes instead), the issue and expiry month, the public check's address and the code."""
    query = {
        "startTask": "CERTIFICATION_NAME",
        "name": name,
        "organizationName": organisation,
        "issueYear": issued_on.year,
        "issueMonth": issued_on.month,
        "expirationYear": expires_on.year,
        "expirationMonth": expires_on.month,
        "certUrl": cert_url,
        "certId": cert_id,
    }
    return f"{LINKEDIN_ADD}?{urlencode(query)}"
