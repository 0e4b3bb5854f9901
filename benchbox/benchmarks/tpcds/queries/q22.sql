-- TPC-DS Q22 (Appendix B.22): average quantity on hand over twelve months per product, rolled up
-- by product name, brand, class and category.
-- @param DMS 1200 ~ uniform(1176, 1224)
select
    i_product_name,
    i_brand,
    i_class,
    i_category,
    avg(inv_quantity_on_hand) as qoh
from inventory, date_dim, item
where d_date_sk = inv_date_sk
  and i_item_sk = inv_item_sk
  and d_month_seq between ${DMS} and ${DMS} + 11
group by rollup (i_product_name, i_brand, i_class, i_category)
order by qoh, i_product_name, i_brand, i_class, i_category
limit 100
