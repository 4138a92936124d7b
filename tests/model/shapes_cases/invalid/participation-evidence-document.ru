# A participation whose evidence is the whole document.
# expect: ekgsh:Participation-evidence sh:ClassConstraintComponent
# message: needs evidence
# severity: Violation
DELETE { <participation/example-workshop-2021/example-ecr-secretariat/organiser> ekg:evidence ?e } INSERT { <participation/example-workshop-2021/example-ecr-secretariat/organiser> ekg:evidence <document/example-workshop-2021-03-03> } WHERE { <participation/example-workshop-2021/example-ecr-secretariat/organiser> ekg:evidence ?e }
