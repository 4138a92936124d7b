# An organiser typed schema:GovernmentOrganization besides schema:Organization.
# exercises: ekgsh:Event-organizer
INSERT DATA { <org/example-ecr-secretariat> a schema:GovernmentOrganization }
