# A participant role has no plain schema.org property, so no triple is required (the base already has one; this adds a second).
# exercises: ekgsh:Participation-plainTriple
INSERT { <participation/example-workshop-2021/example-ministry/participant> a ekg:Participation ; ekg:agent <org/example-ministry> ; ekg:inEvent <event/example-workshop-2021> ; ekg:role <role/participant> ; ekg:basis <basis/stated> ; ekg:evidence ?e } WHERE { ?e oa:hasSelector ?q . ?q oa:exact "Dr Ana Example, Director of Research of the Example Ministry, highlighted in her opening remarks" }
