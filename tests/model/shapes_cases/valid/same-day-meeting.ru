# A one-day meeting: end date equal to start date.
# exercises: ekgsh:Event-dateOrder ekgsh:Dates-datatype
DELETE { <event/example-workshop-2021> schema:endDate ?d . ?a rdf:object ?d } INSERT { <event/example-workshop-2021> schema:endDate "2021-03-01"^^xsd:date . ?a rdf:object "2021-03-01"^^xsd:date } WHERE { <event/example-workshop-2021> schema:endDate ?d . ?a rdf:subject <event/example-workshop-2021> ; rdf:predicate schema:endDate ; rdf:object ?d }
