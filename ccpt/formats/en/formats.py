# The site's date formats (see ccpt.lib.dates), so that Django's own |date and the admin use them too.
DATE_FORMAT = "F j, Y"
DATETIME_FORMAT = "F j, Y, g:i A T"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
