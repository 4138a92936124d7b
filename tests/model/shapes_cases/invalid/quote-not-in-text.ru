# A quote that the document does not contain.
# expect: ekgsh:SourceDocument-quotesOccur
# message: does not occur in the full text
# severity: Violation
DELETE { ?q oa:exact "Example Workshop on Open Data" } INSERT { ?q oa:exact "Example Workshop on Closed Data" } WHERE { ?q oa:exact "Example Workshop on Open Data" }
