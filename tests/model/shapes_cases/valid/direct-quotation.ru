# A statement that is a direct quotation.
# exercises: ekgsh:Statement-direct
DELETE DATA { <statement/example-workshop-2021/value-of-open-data> ekg:isDirectQuote false } ; INSERT DATA { <statement/example-workshop-2021/value-of-open-data> ekg:isDirectQuote true }
