"""Pure scrapers: bytes from the outside world in, validated records out.

SOURCES names every source the service can run on a schedule, with what it reads.
"""

SOURCES: dict[str, str] = {
    "upr-reports": "UN Working Group reports and addenda by symbol (ODS)",
    "upr-info": "UPR Info database (Uwazi JSON API)",
    "pace": "PACE adopted texts and Committee of Ministers replies",
    "coe-exec": "HUDOC-EXEC: execution of European Court judgments",
}
