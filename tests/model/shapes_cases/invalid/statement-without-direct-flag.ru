# A statement that does not say whether it is a quotation.
# expect: ekgsh:Statement-direct sh:MinCountConstraintComponent
# message: direct quotation
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:isDirectQuote ?d } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:isDirectQuote ?d }
