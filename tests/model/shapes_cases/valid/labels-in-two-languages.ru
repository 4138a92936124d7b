# One preferred label per language.
# exercises: ekgsh:Labels-language ekgsh:Concept-prefLabel
INSERT DATA { <topic/example-data> skos:prefLabel "données"@fr }
