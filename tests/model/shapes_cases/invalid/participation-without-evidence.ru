# A participation with no evidence.
# expect: ekgsh:Participation-evidence sh:MinCountConstraintComponent
# message: needs evidence
# severity: Violation
DELETE { <participation/example-workshop-2021/example-ecr-secretariat/organiser> ekg:evidence ?e } WHERE { <participation/example-workshop-2021/example-ecr-secretariat/organiser> ekg:evidence ?e }
