# Reported content that the document does not contain.
# expect: ekgsh:Statement-contentInDocument
# message: does not occur in the text
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:reportedContent ?c } INSERT { <statement/example-workshop-2021/value-of-open-data> ekg:reportedContent "the value of closed data" } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:reportedContent ?c }
