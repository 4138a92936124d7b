# A statement whose evidence quotes another document than the one reporting it.
# expect: ekgsh:Statement-evidenceFromDocument
# message: another document
# severity: Violation
INSERT DATA { <document/other> a ekg:SourceDocument, schema:CreativeWork ; rdfs:label "Other"@en ; ekg:fullText "the value of open data for women" . <evidence/other/0-32> a ekg:Evidence ; oa:hasSource <document/other> ; oa:hasSelector <evidence/other/quote>, <evidence/other/position> . <evidence/other/quote> a oa:TextQuoteSelector ; oa:exact "the value of open data for women" . <evidence/other/position> a oa:TextPositionSelector ; oa:start "0"^^xsd:integer ; oa:end "32"^^xsd:integer . <statement/example-workshop-2021/value-of-open-data> ekg:evidence <evidence/other/0-32> }
