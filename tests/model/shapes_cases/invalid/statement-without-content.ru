# A statement with no content.
# expect: ekgsh:Statement-content sh:MinCountConstraintComponent
# message: exactly one ekg:reportedContent
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:reportedContent ?c } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:reportedContent ?c }
