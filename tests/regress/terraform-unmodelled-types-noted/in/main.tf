resource "azurerm_storage_account" "data" {
  name                     = "shopdata"
  resource_group_name      = "rg"
  location                 = "westeurope"
  account_tier             = "Standard"
  account_replication_type = "LRS"
}

resource "azurerm_cosmosdb_account" "db" {
  name                = "shop-db"
  location            = "westeurope"
  resource_group_name = "rg"
  offer_type          = "Standard"
}

resource "azurerm_key_vault_secret" "a" {
  name  = "a"
  value = "x"
  key_vault_id = "id"
}

resource "azurerm_key_vault_secret" "b" {
  name  = "b"
  value = "y"
  key_vault_id = "id"
}
