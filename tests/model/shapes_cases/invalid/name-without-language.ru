# An event name without a language tag.
# expect: ekgsh:Labels-language sh:DatatypeConstraintComponent
# message: language tag
# severity: Violation
DELETE { <event/example-workshop-2021> schema:name ?n } INSERT { <event/example-workshop-2021> schema:name "Example Workshop on Open Data" } WHERE { <event/example-workshop-2021> schema:name ?n }
