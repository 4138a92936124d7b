# A participation with no role.
# expect: ekgsh:Participation-role sh:MinCountConstraintComponent
# message: needs a role
# severity: Violation
DELETE { <participation/example-workshop-2021/example-foundation/supporter> ekg:role ?r } WHERE { <participation/example-workshop-2021/example-foundation/supporter> ekg:role ?r }
