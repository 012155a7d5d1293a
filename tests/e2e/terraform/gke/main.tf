resource "google_service_account" "nodes" {
  account_id = "gke-nodes"
}

resource "google_project_iam_member" "nodes_editor" {
  project = "acme"
  role    = "roles/editor"
  member  = "serviceAccount:${google_service_account.nodes.email}"
}

resource "google_container_cluster" "primary" {
  name     = "shop"
  location = "europe-west1"

  node_config {
    service_account = google_service_account.nodes.email
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
  }
}
