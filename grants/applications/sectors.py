from django.db import models


class Sector(models.TextChoices):
    """The 15 California CTE industry sectors (REFERENCE.md)."""

    AGRICULTURE = "agriculture", "Agriculture and Natural Resources"
    ARTS_MEDIA = "arts_media", "Arts, Media, and Entertainment"
    BUILDING_TRADES = "building_trades", "Building and Construction Trades"
    BUSINESS_FINANCE = "business_finance", "Business and Finance"
    EDUCATION = "education", "Education, Child Development, and Family Services"
    ENERGY = "energy", "Energy, Environment, and Utilities"
    ENGINEERING = "engineering", "Engineering and Architecture"
    FASHION = "fashion", "Fashion and Interior Design"
    HEALTH = "health", "Health Science and Medical Technology"
    HOSPITALITY = "hospitality", "Hospitality, Tourism, and Recreation"
    ICT = "ict", "Information and Communication Technologies"
    MANUFACTURING = "manufacturing", "Manufacturing and Product Development"
    MARKETING = "marketing", "Marketing, Sales, and Service"
    PUBLIC_SERVICES = "public_services", "Public Services"
    TRANSPORTATION = "transportation", "Transportation"
