# A participation whose role is a speech act.
# expect: ekgsh:Participation-role sh:ClassConstraintComponent
# message: event-roles scheme
# severity: Violation
DELETE { <participation/example-workshop-2021/example-foundation/supporter> ekg:role ?r } INSERT { <participation/example-workshop-2021/example-foundation/supporter> ekg:role <speech-act/highlight> } WHERE { <participation/example-workshop-2021/example-foundation/supporter> ekg:role ?r }
