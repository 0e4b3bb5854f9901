-- TPC-DS Q19 (Appendix B.19): store revenue per brand and manufacturer of one manager's items in
-- one month, from customers living outside the store's zip code.
-- @param YEAR 1998 ~ uniform(1998, 2002)
-- @param MONTH 11 ~ uniform(11, 12)
-- @param MANAGER 8 ~ uniform(1, 100)
select
    i_brand_id as brand_id,
    i_brand as brand,
    i_manufact_id,
    i_manufact,
    sum(ss_ext_sales_price) as ext_price
from date_dim, store_sales, item, customer, customer_address, store
where d_date_sk = ss_sold_date_sk
  and i_item_sk = ss_item_sk
  and i_manager_id = ${MANAGER}
  and d_moy = ${MONTH}
  and d_year = ${YEAR}
  and c_customer_sk = ss_customer_sk
  and ca_address_sk = c_current_addr_sk
  and s_store_sk = ss_store_sk
  and substr(ca_zip, 1, 5) <> substr(s_zip, 1, 5)
group by i_brand, i_brand_id, i_manufact_id, i_manufact
order by ext_price desc, i_brand, i_brand_id, i_manufact_id, i_manufact
limit 100
