# A statement both quoted and not.
# expect: ekgsh:Statement-direct sh:MaxCountConstraintComponent
# message: direct quotation
# severity: Violation
INSERT DATA { <statement/example-workshop-2021/value-of-open-data> ekg:isDirectQuote true }
