variable "project" {
  default = "acme-prod"
}

resource "google_storage_bucket" "exports" {
  name                        = "${var.project}-exports"
  location                    = "EU"
  uniform_bucket_level_access = true
}

# Anyone on the internet may read the objects.
resource "google_storage_bucket_iam_member" "exports_public" {
  bucket = google_storage_bucket.exports.name
  role   = "roles/storage.objectViewer"
  member = "allUsers"
}
