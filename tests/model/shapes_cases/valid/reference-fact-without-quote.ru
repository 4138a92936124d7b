# A second fact from a reference source, cited by locator, not by quote.
# exercises: ekgsh:AssertionShape ekgsh:Assertion-source
INSERT DATA { <place/example-country> schema:alternateName "Example Country"@en . <assertion/example/country-alt> a ekg:Assertion ; rdf:subject <place/example-country> ; rdf:predicate schema:alternateName ; rdf:object "Example Country"@en ; ekg:basis <basis/reference> ; prov:wasDerivedFrom <source/example-gazetteer> ; ekg:locator "entry 3" }
