# ekg:isDirectQuote given as text.
# expect: ekgsh:Statement-direct sh:DatatypeConstraintComponent
# message: direct quotation
# severity: Violation
DELETE { <statement/example-workshop-2021/value-of-open-data> ekg:isDirectQuote ?d } INSERT { <statement/example-workshop-2021/value-of-open-data> ekg:isDirectQuote "no" } WHERE { <statement/example-workshop-2021/value-of-open-data> ekg:isDirectQuote ?d }
