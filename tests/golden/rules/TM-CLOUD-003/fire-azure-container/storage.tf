resource "azurerm_storage_account" "media" {
  name                     = "acmemedia"
  resource_group_name      = "shop"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_storage_container" "uploads" {
  name                  = "uploads"
  storage_account_name  = azurerm_storage_account.media.name
  container_access_type = "container"
}
