# A statement with two contents.
# expect: ekgsh:Statement-content sh:MaxCountConstraintComponent
# message: exactly one ekg:reportedContent
# severity: Violation
INSERT DATA { <statement/example-workshop-2021/value-of-open-data> ekg:reportedContent "open data" }
