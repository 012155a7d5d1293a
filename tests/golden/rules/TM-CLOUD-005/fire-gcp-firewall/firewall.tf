resource "google_compute_firewall" "allow_all" {
  name    = "allow-all-ingress"
  network = "default"

  allow {
    protocol = "tcp"
  }

  source_ranges = ["0.0.0.0/0"]
}
