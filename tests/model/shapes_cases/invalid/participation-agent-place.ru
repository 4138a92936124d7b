# A participation whose agent is a place.
# expect: ekgsh:Participation-agent sh:OrConstraintComponent
# message: an organisation, a person or a group
# severity: Violation
DELETE { <participation/example-workshop-2021/example-foundation/supporter> ekg:agent ?a } INSERT { <participation/example-workshop-2021/example-foundation/supporter> ekg:agent <place/example-geneva> } WHERE { <participation/example-workshop-2021/example-foundation/supporter> ekg:agent ?a }
