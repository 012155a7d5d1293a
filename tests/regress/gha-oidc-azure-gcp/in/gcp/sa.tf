resource "google_service_account" "deployer" {
  account_id = "deployer"
}

resource "google_project_iam_member" "deployer_owner" {
  project = "proj"
  role    = "roles/editor"
  member  = "serviceAccount:${google_service_account.deployer.email}"
}
