# Reported content with a language tag.
# expect: ekgsh:Statement-content sh:DatatypeConstraintComponent
# message: plain string
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:reportedContent ?c } INSERT { <statement/example-workshop-2021/value-of-open-data> ekg:reportedContent "the value of open data for women"@en } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:reportedContent ?c }
